namespace ReferralOS.Sdk.Generators.Pipeline;

/// <summary>Names of the incremental steps, so tests can assert which ones re-ran (they read every constant here).</summary>
internal static class TrackingNames
{
    public const string SqlInputs = nameof(SqlInputs);
    public const string ParsedFiles = nameof(ParsedFiles);
    public const string FileDiagnostics = nameof(FileDiagnostics);
    public const string LockFile = nameof(LockFile);
    public const string LockCheck = nameof(LockCheck);
    public const string ReleasedMigrations = nameof(ReleasedMigrations);
    public const string AnalyzerConfigFiles = nameof(AnalyzerConfigFiles);
    public const string Severities = nameof(Severities);
    public const string Options = nameof(Options);
    public const string Catalog = nameof(Catalog);
    public const string EmitModel = nameof(EmitModel);
}
