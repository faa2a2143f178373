using System.Security.Cryptography;
using System.Text;

namespace ReferralOS.Sdk.Testing.Tests;

/// <summary>Small catalogs of the tests' own, each with a fingerprint no other test shares, so each gets fresh templates.</summary>
internal static class TestCatalogs
{
    /// <summary>One migration per SQL text, numbered from 1, and one test seed when given; unique to this call.</summary>
    public static MigrationCatalog Create(IReadOnlyList<string> migrations, string? seed = null)
    {
        var unique = $"-- catalog {Guid.NewGuid():N}\n";
        var built = migrations.Select((sql, i) => Migration(i + 1, (i == 0 ? unique : string.Empty) + sql)).ToArray();
        var seeds = seed is null
            ? Array.Empty<SeedScript>()
            : [new SeedScript("001_test_rows", 1, "test_rows", "Test rows", ["test"], "execution/seeds/001_test_rows.sql", Checksum(seed), Script(seed))];
        return new MigrationCatalog(built, seeds);
    }

    /// <summary>The same catalog with the text of its last migration changed: an edited migration.</summary>
    public static MigrationCatalog WithLastMigrationEdited(MigrationCatalog catalog, string newSql)
    {
        var migrations = catalog.Migrations.ToList();
        var last = migrations[^1];
        migrations[^1] = Migration(last.Number, migrations.Count == 1 ? last.Up.Text.Split('\n')[0] + "\n" + newSql : newSql);
        return new MigrationCatalog(migrations, catalog.Seeds);
    }

    private static Migration Migration(int number, string sql)
    {
        var version = $"{number:000}_test_step";
        return new Migration(version, number, "test_step", "A test step", null, $"execution/migrations/{version}.sql", Checksum(sql), MigrationTransactionMode.Transactional, null, null, Script(sql), null);
    }

    private static SqlScript Script(string sql) => new(sql, [new SqlStatementSpan(0, sql.Length, 1, 1)]);

    private static string Checksum(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
