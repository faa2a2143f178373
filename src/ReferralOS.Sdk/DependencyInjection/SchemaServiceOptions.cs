using Npgsql;

namespace ReferralOS.Sdk;

/// <summary>What <c>services.AddReferralOsSchema(...)</c> registers: which database, how to migrate, and whether to migrate on start.</summary>
public sealed class SchemaServiceOptions
{
    /// <summary>Timeouts, lock settings and environment for every run. Default: <see cref="MigrationOptions"/>'s defaults.</summary>
    public MigrationOptions Migration { get; set; } = new();

    /// <summary>
    /// Apply pending migrations while the host starts, before it serves anything (an <c>IHostedService</c>):
    /// every instance may do so at once. A failure stops the host from starting. Default false.
    /// </summary>
    public bool MigrateOnStart { get; set; }

    /// <summary>
    /// Picks the database from the container; null (the default) uses the registered <see cref="NpgsqlDataSource"/>.
    /// Set it when the schema lives behind a different data source, e.g. one with an owner role.
    /// </summary>
    public Func<IServiceProvider, NpgsqlDataSource>? DataSource { get; set; }
}
