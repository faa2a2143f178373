using ReferralOS.Cli.Commands;
using ReferralOS.Cli.Compiling;
using ReferralOS.Sdk;
using ReferralOS.Sdk.Local;

namespace ReferralOS.Cli;

/// <summary>
/// The process exit codes of <c>referralos-db</c>, one per kind of outcome, so that scripts can tell a refused
/// environment from an unreachable server. docs/cli.md lists them; keep the two in step.
/// </summary>
internal static class ExitCodes
{
    /// <summary>The command did what it was asked.</summary>
    public const int Ok = 0;

    /// <summary>An unexpected error: a bug, or a failure no other code describes.</summary>
    public const int Failed = 1;

    /// <summary>The command line was not understood: an unknown command or option, or a bad value.</summary>
    public const int Usage = 2;

    /// <summary>
    /// The files, the lock file or the database's history do not match: an edited, unknown or skipped migration,
    /// a rollback target that is not applied or a migration without a Down section, a folder given by --execution
    /// that does not build, an import that cannot convert its folder faithfully, a baseline refused (already recorded,
    /// an unknown version, another tool's dirty or failed history, or one that is not the first migrations in order),
    /// a repair refused (unknown, not applied or not edited), drift: the database differs from the schema its applied migrations build, or explain: a lock that blocks writes
    /// is held longer than its file's lock timeout, or the version given to --only is unknown or not pending.
    /// </summary>
    public const int ValidationFailed = 3;

    /// <summary>A migration or seed statement failed, its transaction rolled back; or the scratch database drift builds in could not be made.</summary>
    public const int ExecutionFailed = 4;

    /// <summary>Another migration run held the migration lock for the whole wait.</summary>
    public const int LockTimeout = 5;

    /// <summary>The database could not be reached or refused the connection.</summary>
    public const int ConnectionFailed = 6;

    /// <summary>
    /// The operation is not allowed here: seeding production, resetting or rolling back anything but development,
    /// a database marked production, a reset or rollback of a database given by connection without --force.
    /// </summary>
    public const int EnvironmentRefused = 7;

    /// <summary>The embedded local PostgreSQL could not be found, created or started.</summary>
    public const int LocalPostgresUnavailable = 8;

    /// <summary>
    /// The connection cannot be used to migrate as it is: it goes through a pooler that passed the server's own process
    /// key on (so it was not recognised, and the session advisory lock met another backend), or one with Max Auto Prepare
    /// set. Nothing half-done was recorded.
    /// </summary>
    public const int PooledConnection = 9;

    /// <summary>
    /// Behind a pooler, the run stalled past its migration lease and another instance took it over; nothing of the
    /// migration in progress was committed, and running again applies what is still pending.
    /// </summary>
    public const int LeaseLost = 10;

    /// <summary>
    /// With <c>--targets</c>: at least one database failed (migrate: unreachable, refused or a migration failed; status: unreadable, or
    /// its history is one migrate would refuse). Every other database was done; the table names each failure, and <c>--json</c> gives
    /// each target's own exit code.
    /// </summary>
    public const int TargetsFailed = 11;

    /// <summary>Interrupted (Ctrl+C or SIGTERM); a transactional migration in progress was rolled back, a Transaction: none one is not recorded.</summary>
    public const int Cancelled = 130;

    /// <summary>The exit code for a failure.</summary>
    /// <param name="exception">What went wrong.</param>
    /// <returns>The code the process ends with.</returns>
    public static int For(Exception exception) => exception switch
    {
        MigrationChecksumMismatchException or UnknownAppliedMigrationException or MissingMigrationException or RollbackNotPossibleException or ExplainNotPossibleException or InvalidHistoryException or InvalidIndexException or ExecutionFolderInvalidException or BaselineRefusedException or RepairRefusedException => ValidationFailed,
        MigrationFailedException or SeedFailedException or InsufficientPrivilegeException or ScratchDatabaseException => ExecutionFailed,
        TransactionPoolingException => PooledConnection,
        MigrationLeaseLostException => LeaseLost,
        UsageException => Usage,
        MigrationLockTimeoutException => LockTimeout,
        DatabaseConnectionException => ConnectionFailed,
        EnvironmentRefusedException or NotConfirmedException => EnvironmentRefused,
        LocalPostgresException => LocalPostgresUnavailable,
        OperationCanceledException => Cancelled,
        _ => Failed,
    };
}
