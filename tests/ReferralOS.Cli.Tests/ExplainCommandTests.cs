using System.Text.Json;
using ReferralOS.Schema;
using ReferralOS.Sdk.Testing;
using ReferralOS.Sdk.Testing.Xunit;

namespace ReferralOS.Cli.Tests;

/// <summary><c>referralos-db explain</c> against a real PostgreSQL database: a pending migration run on a scratch copy, reported per statement.</summary>
public sealed class ExplainCommandTests(PostgresServerFixture postgres) : IDisposable
{
    /// <summary>
    /// Rewrites audit_logs (ROS0107, a volatile default) and then keeps the transaction, and its ACCESS EXCLUSIVE lock,
    /// open for 200 ms: far beyond the file's 10ms lock timeout, whatever the machine's speed.
    /// </summary>
    private const string Pending =
        """
        -- Migration: 011_stamp_audit_logs
        -- Description: Give every audit log a token
        -- Created: 2026-12-02T00:00:00Z
        -- Lock-Timeout: 10ms
        -- Statement-Timeout: 1min

        -- Up Migration
        ALTER TABLE audit_logs ADD COLUMN IF NOT EXISTS token text DEFAULT gen_random_uuid()::text;
        SELECT pg_sleep(0.2);
        """;

    private readonly string _folder = TestFolders.CopyOfExecution("referralos-explain");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact(Timeout = 120_000)]
    public async Task Explain_json_reports_each_statement_s_locks_rewrites_times_and_findings_and_exits_3_past_the_lock_timeout()
    {
        await File.WriteAllTextAsync(Path.Combine(_folder, "execution", "migrations", "011_stamp_audit_logs.sql"), Pending, TestContext.Current.CancellationToken);
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.SchemaOnly);

        var run = await CliRun.RunAsync(_folder, (IReadOnlyDictionary<string, string>?)null, "explain", "--json", "--execution", "execution", "-c", database.ConnectionString);

        Assert.Equal(ExitCodes.ValidationFailed, run.ExitCode);
        using var document = JsonDocument.Parse(run.Out);
        var migration = Assert.Single(document.RootElement.GetProperty("migrations").EnumerateArray());
        Assert.Equal("011_stamp_audit_logs", migration.GetProperty("version").GetString());
        var statements = migration.GetProperty("statements").EnumerateArray().ToArray();
        Assert.Equal([8, 9], statements.Select(s => s.GetProperty("line").GetInt32()));
        var alter = statements[0];
        Assert.StartsWith("ALTER TABLE audit_logs ADD COLUMN", alter.GetProperty("sql").GetString(), StringComparison.Ordinal);
        var auditLock = alter.GetProperty("locks").EnumerateArray().Single(l => l.GetProperty("relation").GetString() == "audit_logs");
        Assert.Equal("AccessExclusiveLock", auditLock.GetProperty("mode").GetString());
        Assert.Contains("audit_logs", alter.GetProperty("rewrites").EnumerateArray().Select(r => r.GetString()));
        Assert.True(alter.GetProperty("ms").GetDouble() > 0);
        Assert.Equal(JsonValueKind.Null, alter.GetProperty("predictedMs").ValueKind);
        var findings = alter.GetProperty("findings").EnumerateArray().ToArray();
        Assert.Contains(findings, f => f.GetProperty("id").GetString() == "ROS0107" && f.GetProperty("status").GetString() == "confirmed");
        Assert.Contains(findings, f => f.GetProperty("status").GetString() == "exceeds-lock-timeout");
        Assert.True(document.RootElement.GetProperty("exceedsLockTimeout").GetBoolean());
        Assert.Contains("held longer than its file's lock timeout", run.Error, StringComparison.Ordinal);

        // Nothing reached the database itself.
        await using var columns = database.DataSource.CreateCommand("SELECT count(*) FROM information_schema.columns WHERE table_name = 'audit_logs' AND column_name = 'token'");
        Assert.Equal(0L, (long)(await columns.ExecuteScalarAsync(TestContext.Current.CancellationToken))!);
    }

    [Fact(Timeout = 120_000)]
    public async Task Explain_markdown_writes_a_table_per_migration_for_a_pull_request()
    {
        await File.WriteAllTextAsync(Path.Combine(_folder, "execution", "migrations", "011_stamp_audit_logs.sql"), Pending, TestContext.Current.CancellationToken);
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.SchemaOnly);

        var run = await CliRun.RunAsync(_folder, (IReadOnlyDictionary<string, string>?)null, "explain", "--markdown", "--only", "011_stamp_audit_logs", "--execution", "execution", "-c", database.ConnectionString);

        Assert.Equal(ExitCodes.ValidationFailed, run.ExitCode);
        Assert.Contains("### 011_stamp_audit_logs (one transaction, lock timeout 10 ms)", run.Out, StringComparison.Ordinal);
        Assert.Contains("| Line | Statement | Locks | Rewrites | ms | Held ms | Predicted held | Findings |", run.Out, StringComparison.Ordinal);
        Assert.Contains("audit_logs **AccessExclusiveLock**", run.Out, StringComparison.Ordinal);
    }

    [Fact(Timeout = 120_000)]
    public async Task Explain_with_nothing_pending_says_so_and_exits_ok()
    {
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.SchemaOnly);

        var run = await CliRun.RunAsync("explain", "-c", database.ConnectionString);

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Equal("Nothing is pending on the database: nothing to explain.", run.OutLines[^1]);
    }

    [Fact(Timeout = 120_000)]
    public async Task Stats_writes_a_snapshot_that_explain_predicts_production_times_from()
    {
        await File.WriteAllTextAsync(Path.Combine(_folder, "execution", "migrations", "011_stamp_audit_logs.sql"), Pending.Replace("10ms", "5min", StringComparison.Ordinal), TestContext.Current.CancellationToken);
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.Seeded);

        var stats = await CliRun.RunAsync("stats", "-c", database.ConnectionString);
        using (var snapshot = JsonDocument.Parse(stats.Out))
        {
            Assert.Equal(ExitCodes.Ok, stats.ExitCode);
            Assert.Contains(snapshot.RootElement.GetProperty("tables").EnumerateArray(), t => t.GetProperty("name").GetString() == "tenants" && t.GetProperty("rows").GetInt64() >= 1);
        }

        // Production, as the snapshot tells it: a million audit logs.
        var file = Path.Combine(_folder, "stats.json");
        await File.WriteAllTextAsync(file, """{ "database": "production", "takenAt": "2026-12-02T00:00:00Z", "tables": [{ "name": "audit_logs", "rows": 1000000, "totalBytes": 500000000 }] }""", TestContext.Current.CancellationToken);
        var run = await CliRun.RunAsync(_folder, (IReadOnlyDictionary<string, string>?)null, "explain", "--json", "--stats", "stats.json", "--rows", "200", "--execution", "execution", "-c", database.ConnectionString);

        using var document = JsonDocument.Parse(run.Out);
        var alter = document.RootElement.GetProperty("migrations")[0].GetProperty("statements")[0];
        Assert.Equal(1_000_000, alter.GetProperty("snapshotRows").GetInt64());
        Assert.True(alter.GetProperty("predictedMs").GetDouble() > alter.GetProperty("ms").GetDouble() * 100);
        Assert.True(alter.GetProperty("predictedHeldMs").GetDouble() >= alter.GetProperty("predictedMs").GetDouble());
    }

    [Fact(Timeout = 120_000)]
    public async Task A_lint_finding_on_a_table_created_earlier_in_the_run_is_not_confirmed_and_a_blocking_lock_no_rule_reported_is_a_finding()
    {
        var migrations = Path.Combine(_folder, "execution", "migrations");
        await File.WriteAllTextAsync(Path.Combine(migrations, "011_payouts.sql"), Header("011_payouts") + "CREATE TABLE IF NOT EXISTS payouts (id int PRIMARY KEY);\nLOCK TABLE tenants IN SHARE MODE;\n", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(migrations, "012_payouts_index.sql"), Header("012_payouts_index") + "CREATE INDEX IF NOT EXISTS idx_payouts_id ON payouts (id);\n", TestContext.Current.CancellationToken);
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.SchemaOnly);

        var run = await CliRun.RunAsync(_folder, (IReadOnlyDictionary<string, string>?)null, "explain", "--json", "--execution", "execution", "-c", database.ConnectionString);

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        using var document = JsonDocument.Parse(run.Out);
        var migrationsExplained = document.RootElement.GetProperty("migrations");
        var lockTenants = migrationsExplained[0].GetProperty("statements")[1].GetProperty("findings").EnumerateArray().Single();
        Assert.Equal((JsonValueKind.Null, "unpredicted"), (lockTenants.GetProperty("id").ValueKind, lockTenants.GetProperty("status").GetString()));
        var index = migrationsExplained[1].GetProperty("statements")[0];
        Assert.True(index.GetProperty("locks").EnumerateArray().Single(l => l.GetProperty("relation").GetString() == "payouts").GetProperty("createdInRun").GetBoolean());
        var ros0115 = index.GetProperty("findings").EnumerateArray().Single();
        Assert.Equal(("ROS0115", "not-confirmed"), (ros0115.GetProperty("id").GetString(), ros0115.GetProperty("status").GetString()));
    }

    private static string Header(string version) =>
        $"-- Migration: {version}\n-- Description: Test migration {version}\n-- Created: 2026-12-02T00:00:00Z\n-- Lock-Timeout: 5s\n-- Statement-Timeout: 1min\n\n-- Up Migration\n";

    [Fact(Timeout = 120_000)]
    public async Task A_confirmed_finding_names_the_statement_s_own_lock_before_those_it_works_under_from_earlier_statements()
    {
        // Seen on launchbadge/realworld-axum-sqlx's history: a column added, then an index built on the same table, in one transaction.
        var migrations = Path.Combine(_folder, "execution", "migrations");
        await File.WriteAllTextAsync(Path.Combine(migrations, "011_tenant_summary.sql"), Header("011_tenant_summary") + "ALTER TABLE tenants ADD COLUMN summary text NOT NULL DEFAULT '';\nCREATE INDEX idx_tenants_summary ON tenants (summary);\n", TestContext.Current.CancellationToken);
        await using var database = await postgres.CreateDatabaseAsync(ReferralOsSchema.Catalog, TestDatabaseOptions.SchemaOnly);

        var run = await CliRun.RunAsync(_folder, (IReadOnlyDictionary<string, string>?)null, "explain", "--json", "--execution", "execution", "-c", database.ConnectionString);

        Assert.True(run.ExitCode == ExitCodes.Ok, run.Error);
        using var document = JsonDocument.Parse(run.Out);
        var index = document.RootElement.GetProperty("migrations")[0].GetProperty("statements")[1];
        var ros0115 = index.GetProperty("findings").EnumerateArray().Single(f => f.GetProperty("id").GetString() == "ROS0115");
        Assert.Equal("confirmed", ros0115.GetProperty("status").GetString());
        var message = ros0115.GetProperty("message").GetString()!;
        Assert.StartsWith("ROS0115 confirmed: ShareLock on tenants blocks", message, StringComparison.Ordinal);
        Assert.DoesNotContain("(taken by an earlier statement of the transaction)", message, StringComparison.Ordinal);
    }
}
