namespace ReferralOS.Sdk.Generators;

/// <summary>
/// What the consuming project asks of the generator through MSBuild properties: where the generated classes go
/// and what they are called, and the PostgreSQL version its rules follow.
/// </summary>
internal sealed record GeneratorOptions(string Namespace, string SchemaClassName, string SeedsClassName, int PostgresVersion)
{
    public const string DefaultSchemaClassName = "DatabaseSchema";
    public const string DefaultSeedsClassName = "Seeds";
    public const int DefaultPostgresVersion = 15;
}
