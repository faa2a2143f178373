using System.Text.Json;
using ReferralOS.Schema;
using ReferralOS.Sdk.Testing;
using ReferralOS.Sdk.Testing.Xunit;

namespace ReferralOS.Cli.Tests;

/// <summary><c>referralos-db status</c> against a real PostgreSQL database of each test's own.</summary>
public sealed class StatusCommandTests(PostgresServerFixture postgres)
{
    [Fact]
    public async Task Status_of_a_fresh_database_lists_every_migration_as_pending()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.Empty);

        var run = await CliRun.RunAsync("status", "--connection", database.ConnectionString);

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        foreach (var migration in ReferralOsSchema.Migrations)
        {
            Assert.Single(run.OutLines, line => line.StartsWith(migration.Version + " ", StringComparison.Ordinal) && line.EndsWith(" pending", StringComparison.Ordinal));
        }

        Assert.Equal("0 applied, 10 pending: run 'referralos-db migrate' to apply them.", run.OutLines[^1]);
    }

    [Fact]
    public async Task Status_json_writes_one_document_with_every_migration_and_nothing_else_to_standard_output()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.SchemaOnly);

        var run = await CliRun.RunAsync("status", "--json", "--connection", database.ConnectionString);

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        using var document = JsonDocument.Parse(run.Out);
        var root = document.RootElement;
        Assert.True(root.GetProperty("upToDate").GetBoolean());
        Assert.False(root.GetProperty("production").GetBoolean());
        Assert.Equal(10, root.GetProperty("applied").GetInt32());
        Assert.Equal(0, root.GetProperty("pending").GetInt32());
        var first = root.GetProperty("migrations")[0];
        Assert.Equal("001_create_extensions", first.GetProperty("version").GetString());
        Assert.Equal("applied", first.GetProperty("state").GetString());
        Assert.Equal(ReferralOsSchema.Migrations[0].Checksum, first.GetProperty("appliedChecksum").GetString());
        Assert.NotEqual(JsonValueKind.Null, first.GetProperty("appliedAt").ValueKind);
        Assert.Contains("the database is up to date", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_exits_with_the_validation_code_when_the_database_knows_a_migration_the_code_does_not()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.SchemaOnly);
        await Sql.ExecuteAsync(database.DataSource, "INSERT INTO schema_migrations (version, checksum) VALUES ('011_from_the_future', repeat('a', 64))");

        var run = await CliRun.RunAsync("status", "--connection", database.ConnectionString);

        Assert.Equal(ExitCodes.ValidationFailed, run.ExitCode);
        Assert.Single(run.OutLines, line => line.StartsWith("011_from_the_future ", StringComparison.Ordinal) && line.Contains(" unknown ", StringComparison.Ordinal));
        Assert.Contains("011_from_the_future (unknown)", run.OutLines[^1], StringComparison.Ordinal);
    }
}
