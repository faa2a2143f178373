using ReferralOS.Schema;
using ReferralOS.Sdk.Testing;
using ReferralOS.Sdk.Testing.Xunit;

namespace ReferralOS.Cli.Tests;

/// <summary><c>referralos-db seed</c> against a real PostgreSQL database of each test's own.</summary>
public sealed class SeedCommandTests(PostgresServerFixture postgres)
{
    [Fact]
    public async Task Seed_runs_the_development_seeds_with_a_line_each_and_counts_the_rows()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.SchemaOnly);

        var run = await CliRun.RunAsync("seed", "--connection", database.ConnectionString);

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Equal(3, run.OutLines.Count(line => line.StartsWith("Ran seed ", StringComparison.Ordinal)));
        Assert.StartsWith("Seeded development in ", run.OutLines[^1], StringComparison.Ordinal);
        Assert.EndsWith("ran 3 seeds, 6 rows inserted.", run.OutLines[^1], StringComparison.Ordinal);
        Assert.Equal(2, await Sql.CountAsync(database.DataSource, "users"));
    }

    [Fact]
    public async Task Seed_in_production_is_refused_and_writes_nothing()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.SchemaOnly);

        var run = await CliRun.RunAsync("seed", "--environment", "production", "--connection", database.ConnectionString);

        Assert.Equal(ExitCodes.EnvironmentRefused, run.ExitCode);
        Assert.StartsWith("error: Refused to seed in production", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
        Assert.Equal(0, await Sql.CountAsync(database.DataSource, "tenants"));
    }
}
