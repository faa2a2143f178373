using Microsoft.EntityFrameworkCore.Migrations;
using ReferralOS.Schema;
using EfMigration = Microsoft.EntityFrameworkCore.Migrations.Migration;

namespace ReferralOS.Sdk.Benchmarks.EfCore;

/// <summary>
/// An EF Core migration whose Up runs the SQL of the ReferralOS migration with the same number: the whole Up section
/// as one command in EF Core's per-migration transaction, or — for a <c>Transaction: none</c> file such as 010's
/// CREATE INDEX CONCURRENTLY — one command per statement with the transaction suppressed, as EF Core requires.
/// </summary>
internal abstract class CatalogSqlMigration(int number) : EfMigration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        var migration = ReferralOsSchema.Migrations[number - 1];
        if (migration.TransactionMode == MigrationTransactionMode.Transactional)
        {
            migrationBuilder.Sql(migration.Up.Text);
            return;
        }

        foreach (var statement in migration.Up.Statements)
        {
            migrationBuilder.Sql(statement.Sql, suppressTransaction: true);
        }
    }
}
