namespace ReferralOS.Sdk.Generators.Tests;

/// <summary>
/// Issue 14.3: the <c>-- Imported-From: &lt;tool&gt; &lt;version&gt;</c> line <c>referralos-db import</c> writes reaches the
/// runtime as <see cref="Migration.ImportedFrom"/>, which baseline --from-history matches to the tool's history.
/// </summary>
public sealed class ImportedFromTests
{
    [Fact]
    public void The_Imported_From_line_reaches_the_compiled_migration_as_its_origin()
    {
        var migration = Compile(SqlFiles.Migration(1, "create_users", "CREATE TABLE users (id int);", header: "-- Imported-From: diesel 20190223172340"));

        Assert.Equal(new MigrationOrigin("diesel", "20190223172340"), migration.ImportedFrom);
    }

    [Fact]
    public void A_migration_written_for_ReferralOS_has_no_origin()
    {
        var migration = Compile(SqlFiles.Migration(1, "create_users", "CREATE TABLE users (id int);"));

        Assert.Null(migration.ImportedFrom);
    }

    private static Migration Compile((string Path, string Text) file)
    {
        var outcome = GeneratorHarness.Run(file);
        Assert.Empty(outcome.Diagnostics.Where(d => d.Severity >= Microsoft.CodeAnalysis.DiagnosticSeverity.Warning));
        var (context, assembly) = GeneratorHarness.Load(outcome.Output);
        try
        {
            return Assert.Single(GeneratorHarness.Migrations(assembly));
        }
        finally
        {
            context.Unload();
        }
    }
}
