using System.Text.Json;
using ReferralOS.Schema;
using ReferralOS.Sdk.Testing;
using ReferralOS.Sdk.Testing.Xunit;

namespace ReferralOS.Cli.Tests;

/// <summary><c>referralos-db drift</c> against a real PostgreSQL database of each test's own: each difference printed, exit 3 on drift.</summary>
public sealed class DriftCommandTests(PostgresServerFixture postgres)
{
    [Fact(Timeout = 120_000)]
    public async Task Drift_of_an_untouched_database_exits_ok_and_says_there_is_none()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.SchemaOnly);

        var run = await CliRun.RunAsync("drift", "--connection", database.ConnectionString);

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Equal("No drift against the schema built from 10 applied migrations.", run.OutLines[^1]);
    }

    [Fact(Timeout = 120_000)]
    public async Task Drift_prints_each_difference_by_name_and_exits_with_the_validation_code()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.SchemaOnly);
        await Sql.ExecuteAsync(database.DataSource, "ALTER TABLE tenants ADD COLUMN notes text; COMMENT ON TABLE tenants IS 'edited by hand'");

        var run = await CliRun.RunAsync("drift", "--connection", database.ConnectionString);

        Assert.Equal(ExitCodes.ValidationFailed, run.ExitCode);
        Assert.Contains("column public.tenants.notes unexpected: found \"text\", which no applied migration creates", run.OutLines);
        Assert.Single(run.OutLines, line => line.StartsWith("comment on table public.tenants ", StringComparison.Ordinal) && line.Contains("found \"edited by hand\"", StringComparison.Ordinal));
        Assert.StartsWith("2 differences against the schema built from 10 applied migrations.", run.OutLines[^1], StringComparison.Ordinal);
    }

    [Fact(Timeout = 120_000)]
    public async Task Drift_json_writes_one_document_with_every_difference_to_standard_output()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.SchemaOnly);
        await Sql.ExecuteAsync(database.DataSource, "DROP INDEX idx_referrals_tenant_referrer_status");

        var run = await CliRun.RunAsync("drift", "--json", "--connection", database.ConnectionString);

        Assert.Equal(ExitCodes.ValidationFailed, run.ExitCode);
        using var document = JsonDocument.Parse(run.Out);
        var root = document.RootElement;
        Assert.True(root.GetProperty("drift").GetBoolean());
        Assert.Equal(10, root.GetProperty("compared").GetArrayLength());
        var difference = Assert.Single(root.GetProperty("differences").EnumerateArray());
        Assert.Equal("index", difference.GetProperty("kind").GetString());
        Assert.Equal("public.idx_referrals_tenant_referrer_status", difference.GetProperty("name").GetString());
        Assert.Equal("missing", difference.GetProperty("type").GetString());
        Assert.StartsWith("CREATE INDEX idx_referrals_tenant_referrer_status ON public.referrals", difference.GetProperty("expected").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, difference.GetProperty("actual").ValueKind);
        Assert.Contains("1 difference against", run.Error, StringComparison.Ordinal);
    }
    [Fact(Timeout = 180_000)]
    public async Task Drift_targets_compares_every_database_names_each_difference_under_its_database_and_exits_3()
    {
        await using var clean = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.SchemaOnly);
        await using var drifted = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.SchemaOnly);
        await Sql.ExecuteAsync(drifted.DataSource, "ALTER TABLE tenants ADD COLUMN notes text");
        var folder = TestFolders.Create("drift-fleet");
        try
        {
            await File.WriteAllLinesAsync(Path.Combine(folder, "shards.txt"), [clean.ConnectionString, drifted.ConnectionString], TestContext.Current.CancellationToken);

            var run = await CliRun.RunAsync(folder, (IReadOnlyDictionary<string, string>?)null, "drift", "--targets", "shards.txt", "--parallel", "2");
            var json = await CliRun.RunAsync(folder, (IReadOnlyDictionary<string, string>?)null, "drift", "--targets", "shards.txt", "--json");
            await File.AppendAllLinesAsync(Path.Combine(folder, "shards.txt"), ["Host=127.0.0.1;Port=1;Database=nowhere;Timeout=2"], TestContext.Current.CancellationToken);
            var unreachable = await CliRun.RunAsync(folder, (IReadOnlyDictionary<string, string>?)null, "drift", "--targets", "shards.txt");

            Assert.Equal(ExitCodes.ValidationFailed, run.ExitCode);
            Assert.Single(run.OutLines, line => line.EndsWith($"/{clean.Name}: no drift", StringComparison.Ordinal));
            Assert.Single(run.OutLines, line => line.EndsWith($"/{drifted.Name}: 1 difference", StringComparison.Ordinal));
            Assert.Contains("column public.tenants.notes unexpected: found \"text\", which no applied migration creates", run.OutLines);
            Assert.StartsWith("Compared 2 databases in ", run.OutLines[^1], StringComparison.Ordinal);
            Assert.EndsWith("at --parallel 2: 1 without drift, 1 with drift.", run.OutLines[^1], StringComparison.Ordinal);

            Assert.Equal(ExitCodes.ValidationFailed, json.ExitCode);
            using var document = JsonDocument.Parse(json.Out);
            var targets = document.RootElement.GetProperty("targets");
            Assert.Equal([false, true], targets.EnumerateArray().Select(t => t.GetProperty("drift").GetBoolean()));
            Assert.Equal("public.tenants.notes", Assert.Single(targets[1].GetProperty("differences").EnumerateArray()).GetProperty("name").GetString());

            Assert.Equal(ExitCodes.TargetsFailed, unreachable.ExitCode);
            Assert.Contains(unreachable.OutLines, line => line.Contains("/nowhere: could not be compared: ", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
