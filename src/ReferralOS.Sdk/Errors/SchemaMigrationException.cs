using ReferralOS.Sdk.Shared;

namespace ReferralOS.Sdk;

/// <summary>
/// The base of every error the schema runtime raises on purpose. Each derived type says what went wrong, where,
/// and what to do; catch this one to handle them all.
/// </summary>
public abstract class SchemaMigrationException : Exception
{
    /// <summary>Creates the exception with its message.</summary>
    /// <param name="message">What went wrong, where, and what to do.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    protected SchemaMigrationException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// A migration the database has applied no longer matches the file compiled into the code: someone edited an
/// applied migration. Nothing was applied.
/// </summary>
public sealed class MigrationChecksumMismatchException : SchemaMigrationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="version">The migration's version.</param>
    /// <param name="path">The migration's file.</param>
    /// <param name="appliedChecksum">The checksum the database recorded when it applied the migration.</param>
    /// <param name="compiledChecksum">The checksum of the file compiled into the code.</param>
    public MigrationChecksumMismatchException(string version, string path, string appliedChecksum, string compiledChecksum)
        : base(HistoryComparison.EditedMessage($"Migration {version} ({path})", released: false, appliedChecksum, compiledChecksum) + ". Nothing was applied.")
    {
        Version = version;
        Path = path;
        AppliedChecksum = appliedChecksum;
        CompiledChecksum = compiledChecksum;
    }

    /// <summary>The migration's version.</summary>
    public string Version { get; }

    /// <summary>The migration's file, relative to its project.</summary>
    public string Path { get; }

    /// <summary>The checksum the database recorded.</summary>
    public string AppliedChecksum { get; }

    /// <summary>The checksum of the compiled file.</summary>
    public string CompiledChecksum { get; }
}

/// <summary>
/// The database records migrations the code does not know: the code is older than the database (or a migration
/// file was deleted or renamed). Nothing was applied.
/// </summary>
public sealed class UnknownAppliedMigrationException : SchemaMigrationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="versions">The versions the database holds that the code does not.</param>
    public UnknownAppliedMigrationException(IReadOnlyList<string> versions)
        : base($"The database has applied {string.Join(", ", versions)}, which this code does not know: the code is older than the database, or a migration file was deleted or renamed. " +
               "Deploy the code that contains these migrations (or restore the files); never delete an applied migration. Nothing was applied.")
    {
        Versions = versions;
    }

    /// <summary>The versions the database holds that the code does not.</summary>
    public IReadOnlyList<string> Versions { get; }
}

/// <summary>
/// A migration is pending although a later one is applied, so it cannot run in number order. Nothing was applied.
/// Catch this to handle both shapes: <see cref="MigrationHistoryGapException"/> (applied migrations on both sides
/// of it) and <see cref="MigrationOutOfOrderException"/> (none applied below it).
/// </summary>
public abstract class MissingMigrationException : SchemaMigrationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What, where and what to do.</param>
    /// <param name="version">The pending migration.</param>
    /// <param name="laterAppliedVersion">The lowest applied migration numbered above it.</param>
    private protected MissingMigrationException(string message, string version, string laterAppliedVersion)
        : base(message)
    {
        Version = version;
        LaterAppliedVersion = laterAppliedVersion;
    }

    /// <summary>The pending migration.</summary>
    public string Version { get; }

    /// <summary>The lowest applied migration numbered above it.</summary>
    public string LaterAppliedVersion { get; }

    private protected static string Remedy(Migration migration, string laterAppliedVersion) =>
        $"If {migration.Version} is a new file (say, merged from a branch after {laterAppliedVersion} was applied), renumber it above the last applied migration. " +
        $"If it was released and this database already has its objects, record it: INSERT INTO schema_migrations (version, checksum) VALUES ('{migration.Version}', '{migration.Checksum}'); " +
        "if it does not have them, review and run its Up section by hand, then record it. Nothing was applied.";
}

/// <summary>
/// A gap in the applied history: a pending migration lies between two applied ones. The database skipped it (its
/// history row was deleted, or a restore was partial), or it is a new file numbered into the middle of released
/// ones. Nothing was applied.
/// </summary>
public sealed class MigrationHistoryGapException : MissingMigrationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="migration">The pending migration.</param>
    /// <param name="earlierAppliedVersion">The highest applied migration numbered below it.</param>
    /// <param name="laterAppliedVersion">The lowest applied migration numbered above it.</param>
    public MigrationHistoryGapException(Migration migration, string earlierAppliedVersion, string laterAppliedVersion)
        : base(
            $"The applied history has a gap: migration {migration.Version} ({migration.Path}) is not applied, but {earlierAppliedVersion} below it and {laterAppliedVersion} above it are. " +
            Remedy(migration, laterAppliedVersion),
            migration.Version,
            laterAppliedVersion)
    {
        EarlierAppliedVersion = earlierAppliedVersion;
    }

    /// <summary>The highest applied migration numbered below the pending one.</summary>
    public string EarlierAppliedVersion { get; }
}

/// <summary>
/// A pending migration is numbered below every applied one: the database's history starts above it. Either the
/// database was built some other way (a restore or a hand-made baseline) or the migration is a new file numbered
/// below released ones. Nothing was applied.
/// </summary>
public sealed class MigrationOutOfOrderException : MissingMigrationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="migration">The pending migration.</param>
    /// <param name="laterAppliedVersion">The lowest applied migration, numbered above it.</param>
    public MigrationOutOfOrderException(Migration migration, string laterAppliedVersion)
        : base(
            $"Migration {migration.Version} ({migration.Path}) is pending below {laterAppliedVersion}, the first migration this database applied: migrations run in number order, so it cannot run now. " +
            Remedy(migration, laterAppliedVersion),
            migration.Version,
            laterAppliedVersion)
    {
    }
}

/// <summary>
/// A migration's statement failed. The migration's transaction was rolled back and no history row was written
/// (for a <c>Transaction: none</c> migration, statements before the failing one stay applied; see the message).
/// </summary>
public sealed class MigrationFailedException : SchemaMigrationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed, where, and what to do.</param>
    /// <param name="version">The migration's version.</param>
    /// <param name="path">The migration's file.</param>
    /// <param name="line">The file line of the failing statement, or of the error inside it.</param>
    /// <param name="sqlState">PostgreSQL's SQLSTATE code, if the server reported one.</param>
    /// <param name="innerException">The underlying error.</param>
    public MigrationFailedException(string message, string version, string path, int? line, string? sqlState, Exception? innerException)
        : base(message, innerException)
    {
        Version = version;
        Path = path;
        Line = line;
        SqlState = sqlState;
    }

    /// <summary>The migration's version.</summary>
    public string Version { get; }

    /// <summary>The migration's file, relative to its project.</summary>
    public string Path { get; }

    /// <summary>The one-based file line where the error is, when known.</summary>
    public int? Line { get; }

    /// <summary>PostgreSQL's SQLSTATE code (e.g. 42P07), when the server reported one.</summary>
    public string? SqlState { get; }
}

/// <summary>
/// Seeding, reset or rollback was refused: the caller named an environment that does not allow it, or the database
/// itself is marked production. Nothing was written.
/// </summary>
public sealed class EnvironmentRefusedException : SchemaMigrationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="operation">What was refused, e.g. "seed".</param>
    /// <param name="environment">The environment it was refused in.</param>
    /// <param name="reason">Why, and what to do.</param>
    public EnvironmentRefusedException(string operation, SchemaEnvironment environment, string reason)
        : base($"Refused to {operation} in {environment.ToName()}: {reason} Nothing was written.")
    {
        Operation = operation;
        Environment = environment;
    }

    /// <summary>What was refused, e.g. "seed", "reset" or "roll back".</summary>
    public string Operation { get; }

    /// <summary>The environment it was refused in.</summary>
    public SchemaEnvironment Environment { get; }
}

/// <summary>Another instance held the migration lock for longer than the configured wait. Nothing was applied.</summary>
public sealed class MigrationLockTimeoutException : SchemaMigrationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="waited">How long this instance waited.</param>
    /// <param name="lockKey">The advisory lock key.</param>
    public MigrationLockTimeoutException(TimeSpan waited, long lockKey)
        : base($"Another instance held the migration lock (pg_advisory_lock key {lockKey}) for the whole {waited.TotalSeconds:0.#}s this one waited. " +
               $"Let the running migration finish and retry, raise {nameof(MigrationOptions)}.{nameof(MigrationOptions.LockWaitTimeout)}, " +
               $"or find the holder with: SELECT pid, state, query FROM pg_stat_activity WHERE pid IN (SELECT pid FROM pg_locks WHERE locktype = 'advisory'). Nothing was applied.")
    {
        Waited = waited;
        LockKey = lockKey;
    }

    /// <summary>How long this instance waited.</summary>
    public TimeSpan Waited { get; }

    /// <summary>The advisory lock key.</summary>
    public long LockKey { get; }
}

/// <summary>The database could not be reached or refused the connection: a bad connection string, host, password or database.</summary>
public sealed class SchemaConnectionException : SchemaMigrationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed and what to check; never contains a password.</param>
    /// <param name="innerException">The underlying error.</param>
    public SchemaConnectionException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>A seed's statement failed; its transaction was rolled back.</summary>
public sealed class SeedFailedException : SchemaMigrationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed, where, and what to do.</param>
    /// <param name="version">The seed's version.</param>
    /// <param name="innerException">The underlying error.</param>
    public SeedFailedException(string message, string version, Exception? innerException)
        : base(message, innerException)
    {
        Version = version;
    }

    /// <summary>The seed's version.</summary>
    public string Version { get; }
}

/// <summary>
/// A rollback cannot run as asked: the target version is unknown or not applied, or a migration it would revert
/// documents no Down section. Checked before anything runs; nothing was changed.
/// </summary>
public sealed class RollbackNotPossibleException : SchemaMigrationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What, where and what to do.</param>
    /// <param name="version">The version at fault: the target, or the migration without a Down section.</param>
    public RollbackNotPossibleException(string message, string version)
        : base(message)
    {
        Version = version;
    }

    /// <summary>The version at fault: the target, or the migration without a Down section.</summary>
    public string Version { get; }
}
