using System.Diagnostics;
using Npgsql;
using ReferralOS.Sdk.History;

namespace ReferralOS.Sdk;

/// <content>A fleet: one catalog applied to, or read from, many databases at once.</content>
public sealed partial class SchemaMigrator
{
    /// <summary>
    /// Applies every pending migration of a catalog to each of many databases — one per tenant or per shard — at most
    /// <see cref="FleetOptions.MaxParallelism"/> at once, each exactly as <see cref="MigrateAsync(CancellationToken)"/> migrates one:
    /// over its own connection, under its own migration lock, validated first. A target that fails is reported with its
    /// error and never stops the others. A run that was interrupted (a crash, a deploy killed half-way) is resumed by
    /// running it again: up-to-date targets answer in one round trip and take no lock, and the rest apply only what is
    /// still pending.
    /// </summary>
    /// <param name="catalog">The compiled migrations, e.g. <c>ReferralOsSchema.Catalog</c>.</param>
    /// <param name="targets">The databases; their names need not be unique, results come in the same order.</param>
    /// <param name="options">Parallelism and the options each target is migrated with; null for the defaults.</param>
    /// <param name="cancellationToken">Stops the run: no further target starts, and the migration in progress on each target rolls back as <see cref="MigrateAsync(CancellationToken)"/> describes.</param>
    /// <returns>One result per target, in the order of <paramref name="targets"/>.</returns>
    /// <exception cref="OperationCanceledException">The run was cancelled; run it again to finish.</exception>
    public static async Task<IReadOnlyList<FleetMigrationResult>> MigrateManyAsync(MigrationCatalog catalog, IEnumerable<FleetTarget> targets, FleetOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        options ??= new FleetOptions();
        options.Validate();
        return await ForEachTargetAsync(
            targets,
            options.MaxParallelism,
            (dataSource, ct) => new SchemaMigrator(catalog, dataSource, options.Migration).MigrateAsync(ct),
            (target, result, error, duration) => new FleetMigrationResult(
                target.Name,
                error is not null ? FleetOutcome.Failed : result!.WasUpToDate ? FleetOutcome.UpToDate : FleetOutcome.Applied,
                result,
                error,
                duration),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads the status of each of many databases (see <see cref="StatusAsync(CancellationToken)"/>), at most
    /// <see cref="FleetOptions.MaxParallelism"/> at once: one round trip per target once connected, the same read as a
    /// single status. A target that cannot be read is reported with its error and never stops the others.
    /// </summary>
    /// <param name="catalog">The compiled migrations the databases are compared with.</param>
    /// <param name="targets">The databases; results come in the same order.</param>
    /// <param name="options">Parallelism, and the history table in <see cref="FleetOptions.Migration"/>; null for the defaults.</param>
    /// <param name="cancellationToken">Stops the reads.</param>
    /// <returns>One result per target, in the order of <paramref name="targets"/>.</returns>
    /// <exception cref="OperationCanceledException">The reads were cancelled.</exception>
    public static async Task<IReadOnlyList<FleetStatusResult>> StatusManyAsync(MigrationCatalog catalog, IEnumerable<FleetTarget> targets, FleetOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        options ??= new FleetOptions();
        options.Validate();
        return await ForEachTargetAsync(
            targets,
            options.MaxParallelism,
            (dataSource, ct) => new SchemaMigrator(catalog, dataSource, options.Migration).StatusAsync(ct),
            (target, status, error, duration) => new FleetStatusResult(target.Name, status, error, duration),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs <paramref name="work"/> on every target, at most <paramref name="maxParallelism"/> at once, and turns what each
    /// returned or threw into its result. Only cancellation ends the loop early: every other failure is the target's own.
    /// A target given by connection string gets a data source for its run alone, disposed when it is done.
    /// </summary>
    private static async Task<TResult[]> ForEachTargetAsync<TValue, TResult>(
        IEnumerable<FleetTarget> targets,
        int maxParallelism,
        Func<NpgsqlDataSource, CancellationToken, Task<TValue>> work,
        Func<FleetTarget, TValue?, Exception?, TimeSpan, TResult> toResult,
        CancellationToken cancellationToken)
        where TValue : class
    {
        ArgumentNullException.ThrowIfNull(targets);
        var list = targets.ToArray();
        if (Array.IndexOf(list, null) is var missing and >= 0)
        {
            throw new ArgumentException($"Target {missing} of the fleet is null.", nameof(targets));
        }

        var results = new TResult[list.Length];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = maxParallelism, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, list.Length), parallel, async (index, ct) =>
        {
            var target = list[index];
            var started = Stopwatch.GetTimestamp();
            TValue? value = null;
            Exception? error = null;
            try
            {
                if (target.DataSource is { } dataSource)
                {
                    value = await work(dataSource, ct).ConfigureAwait(false);
                }
                else
                {
                    await using var owned = DataSources.Create(target.ConnectionString!);
                    value = await work(owned, ct).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not OutOfMemoryException)
            {
                error = ex;
            }

            results[index] = toResult(target, value, error, Stopwatch.GetElapsedTime(started));
        }).ConfigureAwait(false);
        return results;
    }

    /// <summary>
    /// What status reads, in one round trip: the history table's state, the INVALID indexes, the repaired migrations, and the rows — last, because
    /// they are the one read that fails where the table does not exist or has another tool's layout, and by then the state
    /// has said which. (On a database without the table the server logs that failed read as an error.)
    /// </summary>
    private async Task<(HistorySnapshot History, IReadOnlyList<string> InvalidIndexes, IReadOnlyDictionary<string, string> Repairs)> ReadStatusAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        HistorySnapshot history;
        var invalidIndexes = new List<string>();
        IReadOnlyDictionary<string, string> repairs;
        await using (var batch = new NpgsqlBatch(connection) { Timeout = MetadataTimeout })
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(_table.SelectState()));
            batch.BatchCommands.Add(new NpgsqlBatchCommand(SelectInvalidIndexes));
            batch.BatchCommands.Add(new NpgsqlBatchCommand(_table.SelectRepairs));
            batch.BatchCommands.Add(new NpgsqlBatchCommand(_table.SelectAll));
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            history = ReadSnapshot(reader);
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                invalidIndexes.Add(reader.GetString(0));
            }

            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            repairs = HistoryTable.ReadRepairs(reader.IsDBNull(0) ? null : reader.GetString(0));

            try
            {
                await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                history = history with { Rows = await ReadRowsAsync(reader, cancellationToken).ConfigureAwait(false) };
            }
            catch (PostgresException ex) when (ex.SqlState.StartsWith("42", StringComparison.Ordinal))
            {
                // No table, or another layout, as the state says; or a table dropped between the two reads.
            }
        }

        if (!history.Exists)
        {
            history = history with { Rows = null };
        }
        else if (history.Rows is null && HistoryTable.HasRequiredColumns(history.Columns))
        {
            // The table changed between the state and the rows: read both again.
            history = await ReadHistoryAsync(connection, guard: null, cancellationToken).ConfigureAwait(false);
        }

        RefuseForeignLayout(history);
        return (history, invalidIndexes, repairs);
    }
}
