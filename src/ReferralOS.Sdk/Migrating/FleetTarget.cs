using Npgsql;

namespace ReferralOS.Sdk;

/// <summary>
/// One database of a fleet (one database per tenant or per shard) for <see cref="SchemaMigrator.MigrateManyAsync"/> and
/// <see cref="SchemaMigrator.StatusManyAsync"/>: a name that its result carries, and where the database is — a
/// connection string (the fleet opens a data source for it and closes it when the target is done, so a fleet of any
/// size holds no more connections than it runs at once) or a data source the caller owns and disposes.
/// </summary>
public sealed class FleetTarget
{
    /// <summary>A target given by connection string.</summary>
    /// <param name="name">How results name it, e.g. <c>tenant_0042</c> or <c>db7:5432/shard_3</c>; never a password.</param>
    /// <param name="connectionString">An Npgsql connection string. A malformed one fails this target only.</param>
    public FleetTarget(string name, string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        Name = name;
        ConnectionString = connectionString;
    }

    /// <summary>A target given by a data source the caller owns: the fleet uses it and leaves it open.</summary>
    /// <param name="name">How results name it; never a password.</param>
    /// <param name="dataSource">Where the database is.</param>
    public FleetTarget(string name, NpgsqlDataSource dataSource)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(dataSource);
        Name = name;
        DataSource = dataSource;
    }

    /// <summary>How results name the target.</summary>
    public string Name { get; }

    /// <summary>The connection string; null for a target given by data source.</summary>
    public string? ConnectionString { get; }

    /// <summary>The caller's data source; null for a target given by connection string.</summary>
    public NpgsqlDataSource? DataSource { get; }

    /// <inheritdoc/>
    public override string ToString() => Name;
}
