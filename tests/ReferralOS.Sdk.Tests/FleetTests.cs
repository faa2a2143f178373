using Npgsql;
using ReferralOS.Schema;
using ReferralOS.Sdk.Testing;
using ReferralOS.Sdk.Testing.Xunit;

namespace ReferralOS.Sdk.Tests;

/// <summary>
/// Issue 16.3: one catalog over a fleet of databases — bounded parallelism, a result per target, one failure never
/// stopping the rest, a second run doing only the work that is left, and a status of one round trip per target.
/// </summary>
public sealed class FleetTests(PostgresServerFixture postgres)
{
    private const int FleetSize = 200;

    [Fact(Timeout = 600_000)]
    public async Task Two_hundred_databases_one_broken_migrate_199_and_report_the_one_and_a_second_run_only_retries_it()
    {
        var databases = await CreateFleetAsync(FleetSize);
        try
        {
            var broken = databases[137];
            await Sql.ExecuteAsync(broken.DataSource, "CREATE TABLE tenants (id int)"); // another shape under the same name: the migrations fail on it
            var targets = databases.Select(d => new FleetTarget(d.Name, d.ConnectionString)).ToArray();
            var options = new FleetOptions { MaxParallelism = 16 };

            var first = await SchemaMigrator.MigrateManyAsync(ReferralOsSchema.Catalog, targets, options, TestContext.Current.CancellationToken);

            Assert.Equal(databases.Select(d => d.Name), first.Select(r => r.Name));
            var failed = Assert.Single(first, r => r.Outcome == FleetOutcome.Failed);
            Assert.Equal(broken.Name, failed.Name);
            var error = Assert.IsType<MigrationFailedException>(failed.Error);
            Assert.Contains("tenants", error.Message, StringComparison.Ordinal);
            Assert.Null(failed.Result);
            Assert.All(first.Where(r => r != failed), r => Assert.Equal((FleetOutcome.Applied, 10, (Exception?)null), (r.Outcome, r.AppliedCount, r.Error)));
            var brokenHistory = await Sql.HistoryAsync(broken.DataSource);
            Assert.True(brokenHistory.Count < 10);

            var second = await SchemaMigrator.MigrateManyAsync(ReferralOsSchema.Catalog, targets, options, TestContext.Current.CancellationToken);

            Assert.All(second.Where(r => r.Name != broken.Name), r => Assert.Equal((FleetOutcome.UpToDate, 0, 10), (r.Outcome, r.AppliedCount, r.Result!.AlreadyApplied)));
            var again = Assert.Single(second, r => r.Outcome == FleetOutcome.Failed);
            Assert.Equal((broken.Name, error.Version), (again.Name, Assert.IsType<MigrationFailedException>(again.Error).Version));
            Assert.Equal(brokenHistory, await Sql.HistoryAsync(broken.DataSource));

            var status = await SchemaMigrator.StatusManyAsync(ReferralOsSchema.Catalog, targets, options, TestContext.Current.CancellationToken);

            Assert.All(status.Where(r => r.Name != broken.Name), r => Assert.True(r.Status!.IsUpToDate));
            var brokenStatus = Assert.Single(status, r => r.Name == broken.Name).Status!;
            Assert.Equal((brokenHistory.Count, 10 - brokenHistory.Count, false), (brokenStatus.Applied.Count, brokenStatus.Pending.Count, brokenStatus.IsUpToDate));
            TestContext.Current.TestOutputHelper?.WriteLine(
                $"{FleetSize} databases at parallel 16: first run {Longest(first)} (longest target), second {Longest(second)}, status {Longest(status.Select(s => s.Duration))}.");
        }
        finally
        {
            await DropAsync(databases);
        }
    }

    [Fact(Timeout = 120_000)]
    public async Task A_second_run_after_an_interrupted_one_applies_only_what_each_target_still_lacks()
    {
        var databases = await CreateFleetAsync(9);
        try
        {
            // What a run killed half-way leaves: some targets done, some part-way, some not started, and one whose
            // migration lock a crashed run's session still holds.
            var partial = TestCatalog.Of([.. ReferralOsSchema.Migrations.Take(4)]);
            for (var i = 0; i < 3; i++)
            {
                await SchemaMigrator.MigrateAsync(ReferralOsSchema.Catalog, databases[i].DataSource, cancellationToken: TestContext.Current.CancellationToken);
                await SchemaMigrator.MigrateAsync(partial, databases[i + 3].DataSource, cancellationToken: TestContext.Current.CancellationToken);
            }

            await using var stranded = await databases[8].DataSource.OpenConnectionAsync(TestContext.Current.CancellationToken);
            await Sql.ExecuteAsync(stranded, $"SELECT pg_advisory_lock({MigrationOptions.DefaultAdvisoryLockKey})");
            var targets = databases.Select(d => new FleetTarget(d.Name, d.ConnectionString))
                .Append(new FleetTarget("missing", postgres.Server.ConnectionStringFor(databases[0].Name + "_missing")))
                .ToArray();
            var options = new FleetOptions { MaxParallelism = 3, Migration = new MigrationOptions { LockWaitTimeout = TimeSpan.Zero } };

            var run = await SchemaMigrator.MigrateManyAsync(ReferralOsSchema.Catalog, targets, options, TestContext.Current.CancellationToken);

            Assert.Equal(
                [.. Enumerable.Repeat((FleetOutcome.UpToDate, 0, 10), 3), .. Enumerable.Repeat((FleetOutcome.Applied, 6, 4), 3), .. Enumerable.Repeat((FleetOutcome.Applied, 10, 0), 2)],
                run.Take(8).Select(r => (r.Outcome, r.AppliedCount, r.Result!.AlreadyApplied)));
            Assert.IsType<MigrationLockTimeoutException>(run[8].Error);
            Assert.Equal(FleetOutcome.Failed, run[8].Outcome);
            Assert.Contains("does not exist", Assert.IsType<DatabaseConnectionException>(run[9].Error).Message, StringComparison.Ordinal);

            // The crashed run's session ends, and its lock with it.
            await Sql.ExecuteAsync(databases[8].DataSource, $"SELECT pg_terminate_backend({stranded.ProcessID})");
            var resumed = await SchemaMigrator.MigrateManyAsync(ReferralOsSchema.Catalog, targets.Take(9), new FleetOptions { MaxParallelism = 3 }, TestContext.Current.CancellationToken);

            Assert.Equal([.. Enumerable.Repeat(FleetOutcome.UpToDate, 8), FleetOutcome.Applied], resumed.Select(r => r.Outcome));
            Assert.Equal(10, resumed[8].AppliedCount);
        }
        finally
        {
            await DropAsync(databases);
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task A_fleet_status_is_one_round_trip_per_target()
    {
        var databases = await CreateFleetAsync(3);
        try
        {
            await SchemaMigrator.MigrateAsync(ReferralOsSchema.Catalog, databases[0].DataSource, cancellationToken: TestContext.Current.CancellationToken);
            await SchemaMigrator.MigrateAsync(TestCatalog.Of([.. ReferralOsSchema.Migrations.Take(3)]), databases[1].DataSource, cancellationToken: TestContext.Current.CancellationToken);
            await using var counter = new RoundTripCounter(postgres.Server.ConnectionString);
            var proxy = new NpgsqlConnectionStringBuilder(counter.ConnectionString);
            var sources = databases.Select(d => NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(d.ConnectionString) { Host = proxy.Host, Port = proxy.Port, SslMode = proxy.SslMode, GssEncryptionMode = proxy.GssEncryptionMode }.ConnectionString)).ToArray();
            try
            {
                foreach (var source in sources)
                {
                    await Sql.ExecuteAsync(source, "SELECT 1"); // connected once: what is counted is the reads, not the start-up
                }

                counter.Reset();

                var status = await SchemaMigrator.StatusManyAsync(ReferralOsSchema.Catalog, sources.Select((s, i) => new FleetTarget(databases[i].Name, s)), cancellationToken: TestContext.Current.CancellationToken);

                Assert.Equal(3, counter.RoundTrips);
                Assert.Equal([(10, 0, true), (3, 7, false), (0, 10, false)], status.Select(s => (s.Status!.Applied.Count, s.Status.Pending.Count, s.Status.IsUpToDate)));
                Assert.All(status, s => Assert.Null(s.Error));
            }
            finally
            {
                foreach (var source in sources)
                {
                    await source.DisposeAsync();
                }
            }
        }
        finally
        {
            await DropAsync(databases);
        }
    }

    [Fact]
    public async Task Options_are_checked_before_any_target_is_touched()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => SchemaMigrator.MigrateManyAsync(ReferralOsSchema.Catalog, [new FleetTarget("a", "Host=127.0.0.1;Database=a")], new FleetOptions { MaxParallelism = 0 }, TestContext.Current.CancellationToken));
        Assert.Empty(await SchemaMigrator.StatusManyAsync(ReferralOsSchema.Catalog, [], cancellationToken: TestContext.Current.CancellationToken));
    }

    private static string Longest(IEnumerable<FleetMigrationResult> results) => Longest(results.Select(r => r.Duration));

    private static string Longest(IEnumerable<TimeSpan> durations) => $"{durations.Max().TotalMilliseconds:0} ms";

    /// <summary>Empty databases of this test's own, made a few at a time (each CREATE DATABASE copies the template on the server).</summary>
    private async Task<TestDatabase[]> CreateFleetAsync(int count)
    {
        var databases = new TestDatabase[count];
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = TestContext.Current.CancellationToken }, async (i, ct) =>
            databases[i] = await postgres.Server.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.Empty, ct));
        return databases;
    }

    private static async Task DropAsync(IEnumerable<TestDatabase> databases)
    {
        foreach (var database in databases)
        {
            await database.DisposeAsync();
        }
    }
}
