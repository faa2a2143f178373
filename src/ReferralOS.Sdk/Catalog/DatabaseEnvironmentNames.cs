namespace ReferralOS.Sdk;

/// <summary>Names for <see cref="DatabaseEnvironment"/> as they appear in seed headers and on the command line.</summary>
public static class DatabaseEnvironmentNames
{
    /// <summary>The lower-case name used in <c>-- Environment:</c> headers: development, test or production.</summary>
    /// <param name="environment">The environment.</param>
    /// <returns>Its name.</returns>
    public static string ToName(this DatabaseEnvironment environment) => environment switch
    {
        DatabaseEnvironment.Development => "development",
        DatabaseEnvironment.Test => "test",
        DatabaseEnvironment.Production => "production",
        _ => throw new ArgumentOutOfRangeException(nameof(environment), environment, "Unknown environment."),
    };

    /// <summary>Reads development (dev), test or production (prod), in any case.</summary>
    /// <param name="name">The name to read.</param>
    /// <param name="environment">The environment it names.</param>
    /// <returns>False when the name is none of them.</returns>
    public static bool TryParse(string? name, out DatabaseEnvironment environment)
    {
        switch (name?.Trim().ToLowerInvariant())
        {
            case "development" or "dev":
                environment = DatabaseEnvironment.Development;
                return true;
            case "test":
                environment = DatabaseEnvironment.Test;
                return true;
            case "production" or "prod":
                environment = DatabaseEnvironment.Production;
                return true;
            default:
                environment = default;
                return false;
        }
    }
}
