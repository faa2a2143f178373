namespace ReferralOS.Sdk.Generators.Pipeline;

/// <summary>Names of the incremental steps, so tests can assert which ones re-ran.</summary>
internal static class TrackingNames
{
    public const string SqlInputs = nameof(SqlInputs);
    public const string ParsedFiles = nameof(ParsedFiles);
    public const string LockFile = nameof(LockFile);
    public const string Options = nameof(Options);
    public const string Catalogue = nameof(Catalogue);
}
