namespace ReferralOS.Sdk;

/// <summary>What <see cref="SchemaMigrator.ExplainAsync"/> found: each pending migration as it ran on a scratch copy.</summary>
/// <param name="Migrations">The migrations explained, in the order they ran.</param>
/// <param name="Source">What the scratch database was built from: <c>the catalog</c> or the database it copied.</param>
/// <param name="ScratchDatabase">The name of the scratch database it ran on, dropped since.</param>
/// <param name="Duration">The whole run, up to the scratch database's drop.</param>
public sealed record ExplainReport(IReadOnlyList<ExplainedMigration> Migrations, string Source, string ScratchDatabase, TimeSpan Duration);
