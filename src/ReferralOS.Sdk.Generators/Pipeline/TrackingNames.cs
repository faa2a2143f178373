namespace ReferralOS.Sdk.Generators.Pipeline;

/// <summary>Names of the incremental steps, so tests can assert which ones re-ran (they read every constant here).</summary>
internal static class TrackingNames
{
    public const string Options = nameof(Options);
    public const string SqlInputs = nameof(SqlInputs);
    public const string CheckedFiles = nameof(CheckedFiles);
    public const string FileDiagnostics = nameof(FileDiagnostics);
    public const string Files = nameof(Files);
    public const string Catalog = nameof(Catalog);
    public const string CatalogModel = nameof(CatalogModel);
    public const string LockFile = nameof(LockFile);
    public const string LockCheck = nameof(LockCheck);
    public const string ReleasedMigrations = nameof(ReleasedMigrations);
    public const string AnalyzerConfigFiles = nameof(AnalyzerConfigFiles);
    public const string Severities = nameof(Severities);
    public const string CatalogEmitModel = nameof(CatalogEmitModel);
    public const string SeedsEmitModel = nameof(SeedsEmitModel);
}
