namespace ReferralOS.Sdk.Testing;

/// <summary>Switches read from the environment, so a whole run can be changed without touching its code.</summary>
internal static class EnvironmentFlag
{
    /// <summary>True when the variable is <c>1</c>, <c>true</c> or <c>yes</c>, in any case.</summary>
    public static bool IsSet(string variable) =>
        Environment.GetEnvironmentVariable(variable)?.Trim().ToUpperInvariant() is "1" or "TRUE" or "YES";
}
