using System.Diagnostics;
using Npgsql;
using ReferralOS.Sdk.Explaining;
using ReferralOS.Sdk.Migrating;
using ReferralOS.Sdk.Scratch;

namespace ReferralOS.Sdk;

/// <summary>Explain: the pending migrations run on a scratch copy, statement by statement, with what each locked and rewrote.</summary>
public partial class SchemaMigrator
{
    /// <summary>The database the lock sampler sits in, when the role may connect to it: never the scratch database (see <see cref="LockSampler"/>).</summary>
    private const string SamplerDatabase = "postgres";

    /// <summary>Every ordinary and materialized table but system catalogs: name, rows (null when never analysed, PostgreSQL 14+ reporting -1), size.</summary>
    private const string StatisticsQuery =
        "SELECT c.oid::pg_catalog.regclass::text, CASE WHEN c.reltuples < 0 OR (c.reltuples = 0 AND c.relpages = 0) THEN NULL ELSE c.reltuples::bigint END, pg_catalog.pg_total_relation_size(c.oid) " +
        "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace " +
        "WHERE c.oid >= 16384 AND c.relkind IN ('r', 'm') AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)' AND n.nspname <> 'information_schema' ORDER BY 1";

    /// <summary>
    /// Runs the pending migrations (or only <see cref="ExplainOptions.Only"/>) on a scratch database on the target's
    /// server and reports, per statement, the relation locks it took (read from <c>pg_locks</c> inside its transaction,
    /// or sampled from a second session while a <c>Transaction: none</c> statement runs), the relations it rewrote
    /// (<c>pg_class.relfilenode</c> changed, indexes included) and how long it ran and held its locks. The scratch
    /// database is an empty one migrated to what the target has applied, or a copy of <see cref="ExplainOptions.Template"/>;
    /// it is dropped afterwards, whatever happened. The target is only read (its history).
    /// </summary>
    /// <param name="options">What to explain and on what copy; null for every pending migration on a copy built from the catalog.</param>
    /// <param name="cancellationToken">Stops the run; the scratch database is still dropped.</param>
    /// <returns>Each explained migration with its statements.</returns>
    /// <exception cref="ExplainNotPossibleException">The version to explain is unknown or not pending.</exception>
    /// <exception cref="MigrationFailedException">A statement failed on the scratch copy, as it would on the target.</exception>
    /// <exception cref="InsufficientPrivilegeException">The role may not create databases, or may not copy the template.</exception>
    /// <exception cref="ScratchDatabaseException">The scratch database could not be created or dropped.</exception>
    /// <exception cref="MigrationException">The target's history and the code disagree, as migrate would report.</exception>
    /// <exception cref="DatabaseConnectionException">The server could not be reached.</exception>
    public async Task<ExplainReport> ExplainAsync(ExplainOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new ExplainOptions();
        var started = Stopwatch.GetTimestamp();
        IReadOnlyList<Migration>? applied = null;
        if (options.Template is null)
        {
            await using var target = await DataSources.OpenAsync(_dataSource, cancellationToken).ConfigureAwait(false);
            var history = await ReadHistoryAsync(target, guard: null, cancellationToken).ConfigureAwait(false);
            HistoryValidator.Pending(_catalog, history);
            var recorded = (history.Rows ?? []).Select(r => r.Version).ToHashSet(StringComparer.Ordinal);
            applied = _catalog.Migrations.Where(m => recorded.Contains(m.Version)).ToArray();
        }

        var scratch = options.Template is null
            ? await ScratchDatabase.CreateEmptyAsync(_dataSource, "explain", cancellationToken).ConfigureAwait(false)
            : await ScratchDatabase.CreateFromTemplateAsync(_dataSource, options.Template, "explain", cancellationToken).ConfigureAwait(false);
        await using (scratch.ConfigureAwait(false))
        {
            var scratchOptions = _options with { Environment = null };
            if (applied is { Count: > 0 })
            {
                await new SchemaMigrator(new MigrationCatalog(applied, []), scratch.DataSource, scratchOptions).MigrateAsync(cancellationToken).ConfigureAwait(false);
            }

            var explained = await PendingOnAsync(scratch, options.Only, scratchOptions, cancellationToken).ConfigureAwait(false);
            await using var connection = await DataSources.OpenAsync(scratch.DataSource, cancellationToken).ConfigureAwait(false);
            var sampler = await OpenSamplerAsync(scratch, cancellationToken).ConfigureAwait(false);
            await using (sampler.ConfigureAwait(false))
            {
                await using var gateConnection = await DataSources.OpenAsync(scratch.DataSource, cancellationToken).ConfigureAwait(false);
                IReadOnlyDictionary<string, long>? scratchRows = null;
                if (options.Statistics is not null || options.SyntheticRows > 0)
                {
                    var rows = options.SyntheticRows;
                    scratchRows = await SyntheticRows.FillAsync(connection, table => (int)Math.Min(rows, options.Statistics?.Find(table)?.Rows ?? rows), cancellationToken).ConfigureAwait(false);
                }

                var tracer = new StatementTracer(connection, sampler, new LockGate(gateConnection), await RelationSnapshot.ReadAsync(connection, cancellationToken).ConfigureAwait(false));
                var migrations = new List<ExplainedMigration>(explained.Count);
                foreach (var migration in explained)
                {
                    var statements = await tracer.TraceAsync(migration, cancellationToken).ConfigureAwait(false);
                    if (options.Statistics is { } snapshot)
                    {
                        statements = Prediction.Scale(statements, migration.TransactionMode == MigrationTransactionMode.Transactional, snapshot, scratchRows!);
                    }

                    migrations.Add(new ExplainedMigration(migration, statements, migration.LockTimeout ?? _options.LockTimeout, migration.StatementTimeout ?? _options.StatementTimeout));
                }

                var source = options.Template is null ? "the catalog" : $"a copy of database {options.Template}";
                return new ExplainReport(migrations, source, scratch.Name, Stopwatch.GetElapsedTime(started));
            }
        }
    }

    /// <summary>
    /// Reads the database's shape without its data — rows (the planner's estimate, or a count for a table never analysed)
    /// and size per table — for <see cref="ExplainOptions.Statistics"/>: commit a production snapshot, explain against it.
    /// </summary>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>Every table of the database but system catalogs, by name.</returns>
    /// <exception cref="DatabaseConnectionException">The database could not be reached.</exception>
    public async Task<DatabaseStatistics> ReadStatisticsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await DataSources.OpenAsync(_dataSource, cancellationToken).ConfigureAwait(false);
        var tables = new List<(string Name, long? Rows, long Bytes)>();
        await using (var command = new NpgsqlCommand(StatisticsQuery, connection) { CommandTimeout = MetadataTimeout })
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                tables.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetInt64(1), reader.GetInt64(2)));
            }
        }

        var statistics = new List<TableStatistics>(tables.Count);
        foreach (var (name, rows, bytes) in tables)
        {
            var counted = rows;
            if (counted is null)
            {
                await using var count = new NpgsqlCommand($"SELECT count(*) FROM {name}", connection) { CommandTimeout = MetadataTimeout };
                counted = (long)(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            }

            statistics.Add(new TableStatistics(name, counted.Value, bytes));
        }

        return new DatabaseStatistics(statistics);
    }

    /// <summary>
    /// The migrations to explain, pending on the scratch database: all of them, or only <paramref name="only"/> — after
    /// applying, unexplained, those pending before it.
    /// </summary>
    private async Task<IReadOnlyList<Migration>> PendingOnAsync(ScratchDatabase scratch, string? only, MigrationOptions scratchOptions, CancellationToken cancellationToken)
    {
        IReadOnlyList<Migration> pending;
        await using (var connection = await DataSources.OpenAsync(scratch.DataSource, cancellationToken).ConfigureAwait(false))
        {
            pending = HistoryValidator.Pending(_catalog, await ReadHistoryAsync(connection, guard: null, cancellationToken).ConfigureAwait(false));
        }

        if (only is null)
        {
            return pending;
        }

        var wanted = _catalog.Find(only) ?? throw new ExplainNotPossibleException(
            $"Cannot explain {only}: the code has no migration of that version. Name a pending migration as its file is named without .sql (status lists them). Nothing was run.",
            only);
        if (!pending.Contains(wanted))
        {
            throw new ExplainNotPossibleException(
                $"Cannot explain {only}: it is already applied to the database explained ({(pending.Count == 0 ? "nothing is pending" : $"pending: {string.Join(", ", pending.Select(m => m.Version))}")}). " +
                "Explain runs what a migrate would run; name a pending migration, or explain against a database that has not applied it. Nothing was run.",
                only);
        }

        var below = _catalog.Migrations.Where(m => m.Number < wanted.Number).ToArray();
        if (pending[0] != wanted)
        {
            await new SchemaMigrator(new MigrationCatalog(below, []), scratch.DataSource, scratchOptions).MigrateAsync(cancellationToken).ConfigureAwait(false);
        }

        return [wanted];
    }

    /// <summary>The lock sampler's session, in the <c>postgres</c> database or, when the role may not connect there, in the target's.</summary>
    private async Task<LockSampler> OpenSamplerAsync(ScratchDatabase scratch, CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(scratch.ConnectionString) { Database = SamplerDatabase };
        try
        {
            return await LockSampler.OpenAsync(builder.ConnectionString, cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException)
        {
            var target = new NpgsqlConnectionStringBuilder(_dataSource.ConnectionString);
            builder.Database = target.Database ?? target.Username;
            return await LockSampler.OpenAsync(builder.ConnectionString, cancellationToken).ConfigureAwait(false);
        }
    }
}
