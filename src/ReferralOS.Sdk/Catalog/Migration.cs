namespace ReferralOS.Sdk;

/// <summary>
/// One migration file, compiled: its version (<c>002_create_tenants</c>), header, Up and Down SQL and the
/// SHA-256 checksum of the file computed at build time.
/// </summary>
public sealed class Migration
{
    /// <summary>Creates a migration descriptor. Generated code calls this; applications rarely need to.</summary>
    /// <param name="version">The file name without <c>.sql</c>, e.g. <c>002_create_tenants</c>.</param>
    /// <param name="number">The number the file name starts with.</param>
    /// <param name="name">The file name after the number, e.g. <c>create_tenants</c>.</param>
    /// <param name="description">The <c>-- Description:</c> header.</param>
    /// <param name="created">The <c>-- Created:</c> header, when it is a valid timestamp.</param>
    /// <param name="path">The file's path relative to its project.</param>
    /// <param name="checksum">SHA-256 of the file (BOM removed, LF line endings), lower-case hex.</param>
    /// <param name="transactionMode">Whether the file runs in one transaction.</param>
    /// <param name="lockTimeout">The <c>-- Lock-Timeout:</c> directive, overriding the runtime default.</param>
    /// <param name="statementTimeout">The <c>-- Statement-Timeout:</c> directive, overriding the runtime default.</param>
    /// <param name="up">The Up section.</param>
    /// <param name="down">The documented Down section, if the file has one.</param>
    /// <param name="concurrentIndexes">The named indexes a <c>Transaction: none</c> file builds with CREATE INDEX CONCURRENTLY.</param>
    /// <param name="importedFrom">The <c>-- Imported-From:</c> header of a file <c>referralos-db import</c> wrote; null for none.</param>
    public Migration(
        string version,
        int number,
        string name,
        string description,
        DateTimeOffset? created,
        string path,
        string checksum,
        MigrationTransactionMode transactionMode,
        TimeSpan? lockTimeout,
        TimeSpan? statementTimeout,
        SqlScript up,
        SqlScript? down,
        IReadOnlyList<ConcurrentIndex>? concurrentIndexes = null,
        MigrationOrigin? importedFrom = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(version);
        ArgumentOutOfRangeException.ThrowIfNegative(number);
        ArgumentException.ThrowIfNullOrWhiteSpace(checksum);
        ArgumentNullException.ThrowIfNull(up);
        Version = version;
        Number = number;
        Name = name;
        Description = description;
        Created = created;
        Path = path;
        Checksum = checksum;
        TransactionMode = transactionMode;
        LockTimeout = lockTimeout;
        StatementTimeout = statementTimeout;
        Up = up;
        Down = down;
        ConcurrentIndexes = concurrentIndexes ?? [];
        ImportedFrom = importedFrom;
    }

    /// <summary>The file name without <c>.sql</c>, e.g. <c>002_create_tenants</c>: the key of its history row.</summary>
    public string Version { get; }

    /// <summary>The number the file name starts with; migrations apply in this order.</summary>
    public int Number { get; }

    /// <summary>The file name after the number, e.g. <c>create_tenants</c>.</summary>
    public string Name { get; }

    /// <summary>The <c>-- Description:</c> header.</summary>
    public string Description { get; }

    /// <summary>The <c>-- Created:</c> header.</summary>
    public DateTimeOffset? Created { get; }

    /// <summary>The file's path relative to its project, e.g. <c>execution/migrations/002_create_tenants.sql</c>.</summary>
    public string Path { get; }

    /// <summary>SHA-256 of the file's text (BOM removed, LF line endings), lower-case hex, computed at build time.</summary>
    public string Checksum { get; }

    /// <summary>Whether the file runs in one transaction (the default) or statement by statement.</summary>
    public MigrationTransactionMode TransactionMode { get; }

    /// <summary>The file's <c>-- Lock-Timeout:</c>, or null for the runtime default.</summary>
    public TimeSpan? LockTimeout { get; }

    /// <summary>The file's <c>-- Statement-Timeout:</c>, or null for the runtime default.</summary>
    public TimeSpan? StatementTimeout { get; }

    /// <summary>The Up section: what applying the migration runs.</summary>
    public SqlScript Up { get; }

    /// <summary>The Down section, uncommented: what rolling the migration back runs. Null when the file documents none.</summary>
    public SqlScript? Down { get; }

    /// <summary>
    /// The named indexes the Up section builds with CREATE INDEX CONCURRENTLY (in a <c>Transaction: none</c> file),
    /// as the generator read them. An interrupted build leaves such an index INVALID, and IF NOT EXISTS would then skip
    /// it: the runtime checks them before the file runs and before it records the file.
    /// </summary>
    public IReadOnlyList<ConcurrentIndex> ConcurrentIndexes { get; }

    /// <summary>
    /// The tool and version the file was imported from (its <c>-- Imported-From:</c> header), or null for a migration
    /// written for ReferralOS. <see cref="SchemaMigrator.BaselineFromHistoryAsync"/> matches it against that tool's history.
    /// </summary>
    public MigrationOrigin? ImportedFrom { get; }

    /// <inheritdoc/>
    public override string ToString() => Version;
}
