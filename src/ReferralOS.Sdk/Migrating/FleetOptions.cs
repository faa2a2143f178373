namespace ReferralOS.Sdk;

/// <summary>How <see cref="SchemaMigrator.MigrateManyAsync"/> and <see cref="SchemaMigrator.StatusManyAsync"/> work through a fleet.</summary>
public sealed record FleetOptions
{
    /// <summary>The default <see cref="MaxParallelism"/>.</summary>
    public const int DefaultMaxParallelism = 4;

    /// <summary>
    /// How many targets are worked on at once, each over one connection of its own. Default 4. The targets of one
    /// server share its CPU, disk and <c>max_connections</c>: raise it for small migrations over many databases, keep it
    /// low for migrations that rewrite big tables.
    /// </summary>
    public int MaxParallelism { get; init; } = DefaultMaxParallelism;

    /// <summary>
    /// The options every target is migrated (or read) with, as <see cref="SchemaMigrator.MigrateAsync(CancellationToken)"/>
    /// takes them: timeouts, the lock wait (each target takes its own migration lock), the environment, the history table.
    /// </summary>
    public MigrationOptions Migration { get; init; } = new();

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxParallelism, 1, nameof(MaxParallelism));
        ArgumentNullException.ThrowIfNull(Migration, nameof(Migration));
        Migration.Validate();
    }
}
