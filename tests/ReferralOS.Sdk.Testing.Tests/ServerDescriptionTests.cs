using ReferralOS.Schema;
using ReferralOS.Sdk.Testing.Xunit;
using Xunit;

namespace ReferralOS.Sdk.Testing.Tests;

/// <summary>The kit says which server it chose and why, and every test that takes a database says so in its output.</summary>
public sealed class ServerDescriptionTests : DatabaseTest
{
    private readonly PostgresServerFixture _postgres;

    public ServerDescriptionTests(PostgresServerFixture postgres)
        : base(postgres, ReferralOsSchema.Catalog, TestDatabaseOptions.Empty) => _postgres = postgres;

    [Fact]
    public void The_run_s_server_says_where_it_came_from_and_why()
    {
        var description = _postgres.Server.Description;

        Assert.StartsWith("PostgreSQL ", description, StringComparison.Ordinal);
        Assert.Contains(" because ", description, StringComparison.Ordinal);
        Assert.Contains(_postgres.Server.Source switch
        {
            TestServerSource.ConnectionString => $"{TestPostgresServer.ConnectionStringVariable} is set",
            TestServerSource.Testcontainers => "a Docker engine answered at ",
            _ => "no Docker engine answered at ",
        }, description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_connection_string_given_in_the_options_is_named_as_the_reason()
    {
        await using var run = await TestPostgresServer.StartAsync(new TestPostgresServerOptions { ConnectionString = _postgres.Server.ConnectionString }, TestContext.Current.CancellationToken);

        Assert.Contains("the server TestPostgresServerOptions.ConnectionString names, because TestPostgresServerOptions.ConnectionString is set, which comes first.", run.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_source_asked_for_is_named_as_the_reason()
    {
        await using var run = await TestPostgresServer.StartAsync(new TestPostgresServerOptions { Source = TestServerSource.ConnectionString, ConnectionString = _postgres.Server.ConnectionString }, TestContext.Current.CancellationToken);

        Assert.EndsWith("because TestPostgresServerOptions.Source asks for it.", run.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void A_database_test_s_output_names_its_database_and_why_the_server_was_chosen()
    {
        var output = TestContext.Current.TestOutputHelper!.Output;

        Assert.Contains(Database.Description, output, StringComparison.Ordinal);
        Assert.Contains(Database.Name, output, StringComparison.Ordinal);
        Assert.Contains(_postgres.Server.Description, output, StringComparison.Ordinal);
    }
}
