using Npgsql;
using ReferralOS.Sdk.History;
using ReferralOS.Sdk.Migrating;

namespace ReferralOS.Sdk;

/// <summary>Repair: accepting, with a reason, a deliberate edit of an applied migration.</summary>
public sealed partial class SchemaMigrator
{
    /// <summary>
    /// Accepts a deliberate edit of an applied migration's file — a comment fixed, a statement made idempotent, the
    /// same schema written another way — so that migrate stops refusing it: records the version, the checksum the
    /// database had, the checksum of the file now, when, the database role and <paramref name="operatorName"/>, and the
    /// reason in the repair log (<c>&lt;history&gt;_repairs</c> beside the history table, created when missing), and sets the
    /// history row's checksum, both in one transaction under the migration lock. Nothing of the file runs: what it
    /// changes is not applied (make that a new migration), and <see cref="DetectDriftAsync(CancellationToken)"/> shows whether the database
    /// matches the edited file. <see cref="StatusAsync(CancellationToken)"/> shows the migration as <see cref="MigrationState.Repaired"/>.
    /// A database marked production is refused unless <paramref name="confirmProduction"/>.
    /// </summary>
    /// <param name="version">The edited migration, e.g. <c>004_create_referral_codes</c>.</param>
    /// <param name="reason">Why the edit is accepted, for whoever reads the log later; required.</param>
    /// <param name="confirmProduction">True to repair a database marked production.</param>
    /// <param name="operatorName">Who asked, when known (the CLI passes the operating-system user); the database role is recorded anyway.</param>
    /// <param name="cancellationToken">Stops the call; nothing is recorded unless its transaction committed.</param>
    /// <returns>What was recorded.</returns>
    /// <exception cref="ArgumentException">No version, or no reason.</exception>
    /// <exception cref="RepairRefusedException">The code has no such migration, the database has not applied it, or its file was not edited.</exception>
    /// <exception cref="EnvironmentRefusedException">The database is marked production and <paramref name="confirmProduction"/> is false.</exception>
    /// <exception cref="InsufficientPrivilegeException">The role may not create the repair log.</exception>
    /// <exception cref="MigrationLockTimeoutException">Another instance held the lock too long.</exception>
    /// <exception cref="DatabaseConnectionException">The database could not be reached.</exception>
    public async Task<RepairResult> RepairAsync(string version, string reason, bool confirmProduction = false, string? operatorName = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(version);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        var migration = _catalog.Find(version) ?? throw new RepairRefusedException(
            $"Cannot repair {version}: the code has no migration of that version. Name an applied migration whose file was edited, as its file is named without .sql (status marks it checksum-mismatch). Nothing was changed.",
            version);

        await using var connection = await DataSources.OpenAsync(_dataSource, cancellationToken).ConfigureAwait(false);
        var migrationLock = await MigrationLock.AcquireAsync(connection, _dataSource, _table, _options, MetadataTimeout, cancellationToken).ConfigureAwait(false);
        await using (migrationLock.ConfigureAwait(false))
        {
            var history = await ReadHistoryAsync(connection, migrationLock, cancellationToken).ConfigureAwait(false);
            if (history.IsProduction && !confirmProduction)
            {
                throw new EnvironmentRefusedException(
                    $"repair {version}",
                    DatabaseEnvironment.Production,
                    $"the database is marked production (the comment '{HistoryTable.ProductionMarker}' on {(history.MarkedTable ?? history.Table).Display}), and a repair there tells every later run that the edited file is what was applied. " +
                    "Check that the edit changes nothing the database needs (drift compares the two), then confirm it with --confirm-production (confirmProduction: true).");
            }

            var row = history.Rows?.Find(r => r.Version == version) ?? throw new RepairRefusedException(
                $"Cannot repair {version}: {history.Table.Display} does not record it as applied, so there is no recorded checksum to replace; migrate applies it as the file is now. Nothing was changed.",
                version);
            if (row.Checksum == migration.Checksum)
            {
                throw new RepairRefusedException(
                    $"Cannot repair {version}: its recorded checksum ({migration.Checksum}) already is the file's, so there is no edit to accept. Nothing was changed.",
                    version);
            }

            var repairedAt = await RecordRepairAsync(connection, migrationLock, history.Table, row, migration, reason.Trim(), operatorName, cancellationToken).ConfigureAwait(false);
            Log.Repaired(_logger, version, row.Checksum ?? "(none)", migration.Checksum, reason);
            await ReleaseAsync(migrationLock, $"repairing {version}").ConfigureAwait(false);
            return new RepairResult(version, row.Checksum ?? string.Empty, migration.Checksum, repairedAt, reason.Trim());
        }
    }

    /// <summary>The log row and the new checksum, in one transaction guarded by the lock; the update only applies to the checksum read.</summary>
    private async Task<DateTimeOffset> RecordRepairAsync(NpgsqlConnection connection, MigrationLock migrationLock, HistoryTable table, HistoryRow row, Migration migration, string reason, string? operatorName, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection, transaction) { Timeout = MetadataTimeout };
        var guard = new NpgsqlBatchCommand(migrationLock.Guard);
        var update = new NpgsqlBatchCommand(table.UpdateChecksum)
        {
            Parameters = { new NpgsqlParameter<string> { TypedValue = row.Version }, new NpgsqlParameter<string> { TypedValue = migration.Checksum }, new NpgsqlParameter { Value = (object?)row.Checksum ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text } },
        };
        if (!migrationLock.GuardsAtCommit)
        {
            batch.BatchCommands.Add(guard);
        }

        batch.BatchCommands.Add(new NpgsqlBatchCommand(table.CreateRepairs));
        batch.BatchCommands.Add(update);
        batch.BatchCommands.Add(new NpgsqlBatchCommand(table.InsertRepair)
        {
            Parameters =
            {
                new NpgsqlParameter<string> { TypedValue = row.Version },
                new NpgsqlParameter { Value = (object?)row.Checksum ?? string.Empty },
                new NpgsqlParameter<string> { TypedValue = migration.Checksum },
                new NpgsqlParameter { Value = (object?)operatorName ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text },
                new NpgsqlParameter<string> { TypedValue = reason },
            },
        });
        if (migrationLock.GuardsAtCommit)
        {
            batch.BatchCommands.Add(guard);
        }

        DateTimeOffset? repairedAt = null;
        try
        {
            await using (var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                // The guard's row and the insert's: when.
                do
                {
                    if (reader.FieldCount == 1 && reader.GetName(0) == "repaired_at" && await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        repairedAt = reader.GetFieldValue<DateTimeOffset>(0);
                    }
                }
                while (await reader.NextResultAsync(cancellationToken).ConfigureAwait(false));
            }

            if (update.RecordsAffected != 1)
            {
                throw new RepairRefusedException($"Cannot repair {row.Version}: its history row changed while the repair ran. Run status and try again. Nothing was changed.", row.Version);
            }
        }
        catch (PostgresException ex) when (MigrationLock.IsGuardFailure(ex))
        {
            await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
            throw await migrationLock.MovedAsync("recording the repair").ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
            var user = new NpgsqlConnectionStringBuilder(connection.ConnectionString).Username ?? Environment.UserName;
            throw new InsufficientPrivilegeException(
                $"Cannot record the repair of {row.Version} in {table.RepairsDisplay}: {ex.MessageText}.",
                $"GRANT CREATE ON SCHEMA {HistoryTable.Quote(table.Schema ?? "public")} TO {HistoryTable.Quote(user)}");
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return repairedAt ?? throw new InvalidOperationException($"The insert into {table.RepairsDisplay} returned no row.");
    }
}
