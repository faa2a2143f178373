namespace ReferralOS.Sdk.Generators.Parsing;

/// <summary>What a .sql AdditionalFile is, from its <c>ReferralOsSqlKind</c> item metadata (or its folder).</summary>
internal enum SqlFileKind
{
    Migration,
    Seed,
}
