using Microsoft.Extensions.Logging;

namespace ReferralOS.Sdk.Migrating;

/// <summary>The runtime's log lines, one place, compiled by the LoggerMessage generator.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Applied migration {Version} in {DurationMs:0.0} ms")]
    public static partial void MigrationApplied(ILogger logger, string version, double durationMs);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Schema is up to date ({Count} migrations applied)")]
    public static partial void UpToDate(ILogger logger, int count);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Applying {Count} pending {Migrations}, starting with {Version}")]
    private static partial void Applying(ILogger logger, int count, string migrations, string version);

    /// <summary>"Applying 1 pending migration", "Applying 2 pending migrations".</summary>
    public static void Applying(ILogger logger, int count, string version) =>
        Applying(logger, count, count == 1 ? "migration" : "migrations", version);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Ran seed {Version} in {DurationMs:0.0} ms (rows inserted: {Rows})")]
    public static partial void SeedRan(ILogger logger, string version, int rows, double durationMs);

    [LoggerMessage(EventId = 5, Level = LogLevel.Error, Message = "Migration {Version} failed")]
    public static partial void MigrationFailed(ILogger logger, Exception exception, string version);

    [LoggerMessage(EventId = 7, Level = LogLevel.Information, Message = "Rolled back migration {Version} in {DurationMs:0.0} ms")]
    public static partial void MigrationRolledBack(ILogger logger, string version, double durationMs);

    [LoggerMessage(EventId = 8, Level = LogLevel.Information, Message = "Marked the database as production: seeding, reset and rollback are refused from now on")]
    public static partial void MarkedProduction(ILogger logger);

    [LoggerMessage(EventId = 9, Level = LogLevel.Information, Message = "Baselined {Count} migrations up to {Version}: recorded as applied, without running them")]
    public static partial void Baselined(ILogger logger, int count, string version);

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "Repaired {Version}: its recorded checksum {OldChecksum} is now {NewChecksum}, because: {Reason}")]
    public static partial void Repaired(ILogger logger, string version, string oldChecksum, string newChecksum, string reason);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "Reset dropped schema {Schema} and everything in it")]
    public static partial void SchemaReset(ILogger logger, string schema);
}
