namespace ReferralOS.Sdk.Testing;

/// <summary>What a test database holds.</summary>
public sealed record TestDatabaseOptions
{
    /// <summary>A migrated and seeded database (the default).</summary>
    public static readonly TestDatabaseOptions Seeded = new();

    /// <summary>A migrated database without seed rows.</summary>
    public static readonly TestDatabaseOptions SchemaOnly = new() { Seed = false };

    /// <summary>An empty database: nothing migrated. For tests of migrating itself.</summary>
    public static readonly TestDatabaseOptions Empty = new() { Migrate = false, Seed = false };

    /// <summary>Apply the catalog's migrations. Default true.</summary>
    public bool Migrate { get; init; } = true;

    /// <summary>Run the catalog's test seeds (requires <see cref="Migrate"/>). Default true.</summary>
    public bool Seed { get; init; } = true;
}
