using System.Text;

namespace ReferralOS.Sdk;

/// <summary>
/// A dry run: what <see cref="SchemaMigrator.MigrateAsync(CancellationToken)"/> or <see cref="SchemaMigrator.RollbackAsync"/> would
/// send to this database now, computed from its history without changing anything.
/// </summary>
/// <param name="Direction">Applying (Up) or rolling back (Down).</param>
/// <param name="Setup">Commands sent once before the first migration (creating <c>schema_migrations</c>, marking production).</param>
/// <param name="Migrations">The migrations, in the order they would run; empty when there is nothing to do.</param>
/// <param name="AdvisoryLockKey">The session advisory lock the run would hold throughout.</param>
public sealed record MigrationPlan(MigrationDirection Direction, IReadOnlyList<string> Setup, IReadOnlyList<PlannedMigration> Migrations, long AdvisoryLockKey)
{
    /// <summary>True when the run would change nothing.</summary>
    public bool IsEmpty => Migrations.Count == 0 && Setup.Count == 0;

    /// <summary>
    /// The plan as a SQL script a reviewer can read (and psql can run): each transactional migration between
    /// BEGIN and COMMIT, each <c>Transaction: none</c> migration as separate statements.
    /// </summary>
    /// <returns>The script; a single comment line when there is nothing to do.</returns>
    public string ToSql()
    {
        var sql = new StringBuilder();
        var what = Direction == MigrationDirection.Up ? "apply" : "roll back";
        if (IsEmpty)
        {
            return $"-- Nothing to {what}: the database is where the plan asked it to be.\n";
        }

        sql.Append("-- Dry run: ").Append(Migrations.Count).Append(" migration(s) to ").Append(what)
           .Append(", under session advisory lock ").Append(AdvisoryLockKey).Append(" (taken with pg_try_advisory_lock, released at the end).\n");
        foreach (var command in Setup)
        {
            sql.Append(command).Append(";\n");
        }

        foreach (var migration in Migrations)
        {
            sql.Append("\n-- ").Append(migration.Version).Append(" (").Append(migration.Path).Append(')');
            var transactional = migration.TransactionMode == MigrationTransactionMode.Transactional;
            sql.Append(transactional ? "\nBEGIN;\n" : ", Transaction: none: each statement on its own\n");
            foreach (var command in migration.Commands)
            {
                sql.Append(command).Append(";\n");
            }

            if (transactional)
            {
                sql.Append("COMMIT;\n");
            }
        }

        return sql.ToString();
    }
}
