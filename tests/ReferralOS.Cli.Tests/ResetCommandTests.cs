using ReferralOS.Schema;
using ReferralOS.Sdk.Testing.Xunit;

namespace ReferralOS.Cli.Tests;

/// <summary><c>referralos-db reset</c> against a real PostgreSQL database of each test's own.</summary>
public sealed class ResetCommandTests(PostgresServerFixture postgres)
{
    [Fact]
    public async Task Reset_with_force_drops_everything_then_migrates_and_seeds_afresh()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog);
        await Sql.ExecuteAsync(database.DataSource, "CREATE TABLE scratch (id integer); INSERT INTO tenants (slug, name) VALUES ('extra', 'Extra')");

        var run = await CliRun.RunAsync("reset", "--force", "--connection", database.ConnectionString);

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.StartsWith("Reset in ", run.OutLines[^1], StringComparison.Ordinal);
        Assert.EndsWith("applied 10 migrations, ran 3 seeds (6 rows inserted).", run.OutLines[^1], StringComparison.Ordinal);
        Assert.False(await Sql.TableExistsAsync(database.DataSource, "scratch"));
        Assert.Equal(1, await Sql.CountAsync(database.DataSource, "tenants"));
    }

    [Fact]
    public async Task Reset_of_a_database_given_by_connection_needs_force_and_touches_nothing_without_it()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog);

        var run = await CliRun.RunAsync("reset", "--connection", database.ConnectionString);

        Assert.Equal(ExitCodes.EnvironmentRefused, run.ExitCode);
        Assert.Contains("--force", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
        Assert.Equal(1, await Sql.CountAsync(database.DataSource, "tenants"));
    }

    [Theory]
    [InlineData("test")]
    [InlineData("production")]
    public async Task Reset_outside_development_is_refused_and_touches_nothing(string environment)
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog);

        var run = await CliRun.RunAsync("reset", "--force", "--environment", environment, "--connection", database.ConnectionString);

        Assert.Equal(ExitCodes.EnvironmentRefused, run.ExitCode);
        Assert.StartsWith($"error: Refused to reset in {environment}", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
        Assert.Equal(10, await Sql.CountAsync(database.DataSource, "schema_migrations"));
    }
}
