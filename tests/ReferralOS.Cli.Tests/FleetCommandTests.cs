using System.Text.Json;
using Npgsql;
using ReferralOS.Cli.Commands;
using ReferralOS.Cli.Connecting;
using ReferralOS.Schema;
using ReferralOS.Sdk.Testing;
using ReferralOS.Sdk.Testing.Xunit;

namespace ReferralOS.Cli.Tests;

/// <summary><c>migrate --targets</c> and <c>status --targets</c>: a fleet of real databases, and the targets file and query they read.</summary>
public sealed class FleetCommandTests(PostgresServerFixture postgres)
{
    [Fact(Timeout = 600_000)]
    public async Task Migrating_200_databases_with_one_broken_exits_11_after_migrating_the_199_and_a_second_run_retries_only_the_broken_one()
    {
        var databases = await CreateFleetAsync(200);
        var folder = TestFolders.Create("fleet");
        try
        {
            var broken = databases[61];
            await Sql.ExecuteAsync(broken.DataSource, "CREATE TABLE tenants (id int)"); // another shape under the same name: the migrations fail on it
            // Half as URLs, half as key=value, between comments and blank lines.
            await File.WriteAllLinesAsync(
                Path.Combine(folder, "shards.txt"),
                ["# every shard", string.Empty, .. databases.Select((d, i) => i % 2 == 0 ? UrlOf(d.ConnectionString) : "  " + d.ConnectionString), "# end"],
                TestContext.Current.CancellationToken);
            var brokenName = NameOf(broken);

            var first = await CliRun.RunAsync(folder, (IReadOnlyDictionary<string, string>?)null, "migrate", "--targets", "shards.txt", "--parallel", "16");

            Assert.Equal(ExitCodes.TargetsFailed, first.ExitCode);
            Assert.Contains("Targets: 200 databases from shards.txt", first.OutLines);
            var names = databases.Select(NameOf).ToHashSet(StringComparer.Ordinal);
            var rows = first.OutLines.Where(l => names.Contains(l.Split(' ')[0])).ToArray();
            Assert.Equal(databases.Select(NameOf), rows.Select(r => r.Split(' ')[0]));
            Assert.Equal(199, rows.Count(r => Columns(r) is [_, "applied", "10", ..]));
            Assert.Matches(@" failed +0 .* MigrationFailedException$", Assert.Single(rows, r => r.StartsWith(brokenName + " ", StringComparison.Ordinal)));
            Assert.Contains(first.OutLines, l => l.StartsWith(brokenName + ": Migration ", StringComparison.Ordinal));
            Assert.StartsWith("Migrated 200 databases in ", first.OutLines[^1], StringComparison.Ordinal);
            Assert.EndsWith("at --parallel 16: 199 migrated (1990 migrations applied), 1 failed. Fix what each failure says and run the same command again: it does only what is left.", first.OutLines[^1], StringComparison.Ordinal);
            Assert.DoesNotContain(new NpgsqlConnectionStringBuilder(broken.ConnectionString).Password ?? "(none)", first.Out, StringComparison.Ordinal);

            var second = await CliRun.RunAsync(folder, (IReadOnlyDictionary<string, string>?)null, "migrate", "--targets", Path.Combine(folder, "shards.txt"), "--parallel", "16", "--json");

            Assert.Equal(ExitCodes.TargetsFailed, second.ExitCode);
            using (var document = JsonDocument.Parse(second.Out))
            {
                var root = document.RootElement;
                Assert.Equal((200, 0, 199, 1, 16), (root.GetProperty("targets").GetInt32(), root.GetProperty("applied").GetInt32(), root.GetProperty("upToDate").GetInt32(), root.GetProperty("failed").GetInt32(), root.GetProperty("parallel").GetInt32()));
                var results = root.GetProperty("results").EnumerateArray().ToArray();
                Assert.Equal(databases.Select(NameOf), results.Select(r => r.GetProperty("name").GetString()));
                var failed = Assert.Single(results, r => r.GetProperty("outcome").GetString() == "failed");
                Assert.Equal(brokenName, failed.GetProperty("name").GetString());
                Assert.Equal(("MigrationFailedException", ExitCodes.ExecutionFailed), (failed.GetProperty("error").GetProperty("type").GetString(), failed.GetProperty("error").GetProperty("exitCode").GetInt32()));
                Assert.All(results.Where(r => r.GetProperty("name").GetString() != brokenName), r => Assert.Equal(("up-to-date", 0, 10), (r.GetProperty("outcome").GetString(), r.GetProperty("applied").GetInt32(), r.GetProperty("alreadyApplied").GetInt32())));
            }

            var status = await CliRun.RunAsync(folder, (IReadOnlyDictionary<string, string>?)null, "status", "--targets", "shards.txt", "--parallel", "16");

            Assert.Equal(ExitCodes.Ok, status.ExitCode);
            var statusRows = status.OutLines.Where(l => names.Contains(l.Split(' ')[0])).ToArray();
            Assert.Equal(200, statusRows.Length);
            Assert.Equal(199, statusRows.Count(r => Columns(r) is [_, "up-to-date", "10", "0", ..]));
            var brokenHistory = await Sql.CountAsync(broken.DataSource, "schema_migrations");
            Assert.Equal(["pending", $"{brokenHistory}", $"{10 - brokenHistory}"], Columns(Assert.Single(statusRows, r => r.StartsWith(brokenName + " ", StringComparison.Ordinal)))[1..4]);
            Assert.Contains("at --parallel 16: 199 up to date, 1 with migrations pending.", status.OutLines[^1], StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
            await DropAsync(databases);
        }
    }

    [Fact(Timeout = 180_000)]
    public async Task A_fleet_run_killed_half_way_is_resumed_by_running_it_again_which_does_only_what_was_left()
    {
        var databases = await CreateFleetAsync(24);
        var folder = TestFolders.Create("fleet-crash");
        var holders = new List<NpgsqlConnection>();
        try
        {
            var file = Path.Combine(folder, "shards.txt");
            await File.WriteAllLinesAsync(file, databases.Select(d => d.ConnectionString), TestContext.Current.CancellationToken);

            // Another run holds the migration lock of databases 8 to 11, so the four workers stop there (each takes the next
            // database only when done with its last), databases 0 to 7 done: then the process is killed, as a deploy's can be.
            foreach (var held in databases[8..12])
            {
                var holder = await held.DataSource.OpenConnectionAsync(TestContext.Current.CancellationToken);
                holders.Add(holder);
                await using var take = new NpgsqlCommand($"SELECT pg_advisory_lock({Sdk.MigrationOptions.DefaultAdvisoryLockKey})", holder);
                await take.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
            }

            using (var cli = System.Diagnostics.Process.Start(CliRun.ProcessStart("migrate", "--targets", file, "--parallel", "4"))!)
            {
                var drained = Task.WhenAll(cli.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken), cli.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken));
                var names = string.Join(", ", databases[8..12].Select(d => $"'{d.Name}'"));
                await Sql.WaitForAsync(
                    databases[0].DataSource,
                    $"SELECT 1 WHERE (SELECT count(DISTINCT datname) FROM pg_stat_activity WHERE datname IN ({names}) AND pid NOT IN ({string.Join(", ", holders.Select(h => h.ProcessID))})) = 4");
                cli.Kill();
                await cli.WaitForExitAsync(TestContext.Current.CancellationToken);
                await drained;
            }

            foreach (var done in databases[..8])
            {
                Assert.Equal(10, await Sql.CountAsync(done.DataSource, "schema_migrations"));
            }

            Assert.False(await Sql.TableExistsAsync(databases[12].DataSource, "schema_migrations"));
            // The other run's sessions end, and their locks with them.
            var pids = string.Join(", ", holders.Select(h => h.ProcessID));
            await Sql.ExecuteAsync(databases[0].DataSource, $"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid IN ({pids})");
            await Sql.WaitForAsync(databases[0].DataSource, $"SELECT 1 WHERE NOT EXISTS (SELECT FROM pg_stat_activity WHERE pid IN ({pids}))");

            var resumed = await CliRun.RunAsync("migrate", "--targets", file, "--parallel", "4", "--json", "--rebuild-invalid-indexes");

            Assert.Equal(ExitCodes.Ok, resumed.ExitCode);
            using var document = JsonDocument.Parse(resumed.Out);
            var results = document.RootElement.GetProperty("results").EnumerateArray().Select(r => (r.GetProperty("outcome").GetString(), r.GetProperty("applied").GetInt32()));
            Assert.Equal([.. Enumerable.Repeat(("up-to-date", 0), 8), .. Enumerable.Repeat(("applied", 10), 16)], results);
            foreach (var database in databases)
            {
                Assert.Equal(10, await Sql.CountAsync(database.DataSource, "schema_migrations"));
            }
        }
        finally
        {
            foreach (var holder in holders)
            {
                await holder.DisposeAsync();
            }

            Directory.Delete(folder, recursive: true);
            await DropAsync(databases);
        }
    }

    [Fact(Timeout = 120_000)]
    public async Task Status_targets_from_a_query_lists_the_databases_on_the_connection_server_and_json_carries_each_status()
    {
        var databases = await CreateFleetAsync(3);
        try
        {
            await CliRun.RunAsync("migrate", "--connection", databases[0].ConnectionString);
            await Sql.ExecuteAsync(databases[2].DataSource, "CREATE TABLE schema_migrations (version bigint, dirty boolean)"); // golang-migrate's
            var names = string.Join(", ", databases.Select(d => $"'{d.Name}'"));

            var run = await CliRun.RunAsync("status", "--json", "--targets", $"sql:SELECT datname FROM pg_database WHERE datname IN ({names}) ORDER BY datname", "-c", databases[0].ConnectionString);

            Assert.Equal(ExitCodes.TargetsFailed, run.ExitCode);
            using var document = JsonDocument.Parse(run.Out);
            var results = document.RootElement.GetProperty("results").EnumerateArray().ToArray();
            Assert.Equal(databases.Select(NameOf).Order(StringComparer.Ordinal), results.Select(r => r.GetProperty("name").GetString()));
            var byName = results.ToDictionary(r => r.GetProperty("name").GetString()!);
            Assert.Equal("up-to-date", byName[NameOf(databases[0])].GetProperty("state").GetString());
            Assert.Equal(10, byName[NameOf(databases[0])].GetProperty("status").GetProperty("applied").GetInt32());
            Assert.Equal(("pending", 10), (byName[NameOf(databases[1])].GetProperty("state").GetString(), byName[NameOf(databases[1])].GetProperty("status").GetProperty("pending").GetInt32()));
            var foreign = byName[NameOf(databases[2])];
            Assert.Equal(("failed", "InvalidHistoryException", ExitCodes.ValidationFailed), (foreign.GetProperty("state").GetString(), foreign.GetProperty("error").GetProperty("type").GetString(), foreign.GetProperty("error").GetProperty("exitCode").GetInt32()));
            Assert.Contains("Targets: 3 databases from the --targets query", run.ErrorLines);
        }
        finally
        {
            await DropAsync(databases);
        }
    }

    [Fact(Timeout = 120_000)]
    public async Task A_query_row_may_be_a_whole_connection_string_and_a_failing_query_is_a_usage_error()
    {
        var databases = await CreateFleetAsync(1);
        try
        {
            var connection = databases[0].ConnectionString.Replace("'", "''", StringComparison.Ordinal);

            var migrated = await CliRun.RunAsync("migrate", "--targets", $"sql:SELECT '{connection}'", "-c", databases[0].ConnectionString);
            var failing = await CliRun.RunAsync("migrate", "--targets", "sql:SELECT nope FROM nowhere", "-c", databases[0].ConnectionString);
            var noServer = await CliRun.RunAsync("migrate", "--targets", "sql:SELECT datname FROM pg_database");

            Assert.Equal(ExitCodes.Ok, migrated.ExitCode);
            Assert.Contains("at --parallel 4: 1 migrated (10 migrations applied).", migrated.OutLines[^1], StringComparison.Ordinal);
            Assert.Equal(ExitCodes.Usage, failing.ExitCode);
            Assert.Contains("The --targets query failed on ", failing.Error, StringComparison.Ordinal);
            Assert.Contains("relation \"nowhere\" does not exist (SQLSTATE 42P01)", failing.Error, StringComparison.Ordinal);
            Assert.Equal(ExitCodes.Usage, noServer.ExitCode);
            Assert.Contains("runs its query on the server --connection (or $REFERRALOS_DATABASE_URL) names, and neither is given", noServer.Error, StringComparison.Ordinal);
        }
        finally
        {
            await DropAsync(databases);
        }
    }

    [Fact]
    public void A_targets_file_reads_urls_and_key_value_lines_and_skips_comments_and_blank_lines()
    {
        var targets = FleetTargets.Parse("# shards\r\n\r\npostgres://app:s%40cret@db1:6432/shard_1?sslmode=require\r\n   Host=db2;Username=app;Password=x;Database=shard_2  \n#Host=db3;Database=off\n", "shards.txt");

        Assert.Equal(["db1:6432/shard_1", "db2:5432/shard_2"], targets.Select(t => t.Name));
        var first = new NpgsqlConnectionStringBuilder(targets[0].ConnectionString);
        Assert.Equal(("db1", 6432, "app", "s@cret", "shard_1", SslMode.Require), (first.Host, first.Port, first.Username, first.Password, first.Database, first.SslMode));
        Assert.Equal("shard_2", new NpgsqlConnectionStringBuilder(targets[1].ConnectionString).Database);
    }

    [Theory]
    [InlineData("Host=db1;Database=a\nHost=db2;Nonsense=1\n", "Line 2 of shards.txt is neither a postgres:// URL nor a connection string Npgsql can read")]
    [InlineData("Host=db1;Database=a\n\npostgres://[oops/x\n", "The connection URL in line 3 of shards.txt cannot be read: it is not a well-formed URL")]
    [InlineData("Host=db1;Database=a\n# again:\npostgres://app@db1/a\n", "Line 3 of shards.txt names db1:5432/a again, as line 1 of shards.txt did: give each database once.")]
    [InlineData("# nothing but comments\n\n", "shards.txt names no database")]
    public void A_bad_targets_file_is_refused_naming_the_line(string text, string message)
    {
        var refused = Assert.Throws<UsageException>(() => FleetTargets.Parse(text, "shards.txt"));

        Assert.StartsWith(message, refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("migrate", "--parallel", "4")]
    [InlineData("migrate", "--json")]
    [InlineData("status", "--parallel", "4")]
    [InlineData("migrate", "--targets", "shards.txt", "--seed")]
    [InlineData("migrate", "--targets", "shards.txt", "--dry-run")]
    [InlineData("migrate", "--targets", "shards.txt", "--parallel", "0")]
    public async Task Fleet_options_out_of_place_are_usage_errors(params string[] args)
    {
        var run = await CliRun.RunAsync(args);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
    }

    [Fact]
    public async Task A_targets_file_that_does_not_exist_is_a_usage_error()
    {
        var run = await CliRun.RunAsync("status", "--targets", "/nonexistent/shards.txt");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("--targets is '/nonexistent/shards.txt', which is not a file", run.Error, StringComparison.Ordinal);
    }

    /// <summary>The name a fleet gives a database: host:port/database.</summary>
    private static string NameOf(TestDatabase database)
    {
        var builder = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        return $"{builder.Host}:{builder.Port}/{builder.Database}";
    }

    private static string[] Columns(string row) => row.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The same connection as a postgres:// URL.</summary>
    private static string UrlOf(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var user = builder.Password is { } password ? $"{Uri.EscapeDataString(builder.Username!)}:{Uri.EscapeDataString(password)}@" : $"{Uri.EscapeDataString(builder.Username!)}@";
        return $"postgres://{user}{builder.Host}:{builder.Port}/{Uri.EscapeDataString(builder.Database!)}";
    }

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
