namespace ReferralOS.Sdk;

/// <summary>
/// Where an imported migration came from: the file's <c>-- Imported-From: &lt;tool&gt; &lt;version&gt;</c> line, which
/// <c>referralos-db import</c> writes. <see cref="SchemaMigrator.BaselineFromHistoryAsync"/> matches the version
/// against the tool's own history table.
/// </summary>
/// <param name="Tool">The source tool as <c>import --from</c> names it: <c>diesel</c>, <c>golang-migrate</c>, <c>flyway</c>, <c>dbmate</c>, <c>goose</c> or <c>sqlx</c>.</param>
/// <param name="Version">The version exactly as that tool records it, e.g. <c>20190223172340</c> or <c>1.2.3</c>.</param>
public sealed record MigrationOrigin(string Tool, string Version)
{
    /// <inheritdoc/>
    public override string ToString() => Tool + " " + Version;
}
