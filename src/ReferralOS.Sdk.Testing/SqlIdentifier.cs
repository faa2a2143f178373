namespace ReferralOS.Sdk.Testing;

/// <summary>Database names as SQL identifiers.</summary>
internal static class SqlIdentifier
{
    /// <summary>The name in double quotes, any double quote in it doubled.</summary>
    public static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
