using System.Globalization;
using Microsoft.CodeAnalysis;
using ReferralOS.Sdk.Generators.Diagnostics;
using ReferralOS.Sdk.Generators.Parsing;
using ReferralOS.Sdk.Generators.Pipeline;
using ReferralOS.Sdk.Generators.Sql;

namespace ReferralOS.Sdk.Generators.Validation;

/// <summary>What the unsafe-operation rules need to know about the file they check.</summary>
/// <param name="Transactional">Whether the file runs in one transaction (no <c>-- Transaction: none</c>).</param>
/// <param name="PostgresVersion">The major version the project declares (ReferralOsPostgresVersion).</param>
/// <param name="LockTimeout">Whether the header sets <c>-- Lock-Timeout:</c>.</param>
/// <param name="StatementTimeout">Whether the header sets <c>-- Statement-Timeout:</c>.</param>
internal sealed record LintContext(bool Transactional, int PostgresVersion, bool LockTimeout, bool StatementTimeout);

/// <summary>
/// The unsafe-operation lint for migrations (ROS0101–ROS0118): the operations that lose data, break running code,
/// rewrite a table or hold a strong lock for long, each with why and the safe recipe. Tables created earlier in
/// the same transactional migration are new and empty, so statements on them are not flagged; in a
/// <c>Transaction: none</c> file a created table is visible to others at once, so it counts as existing. Every id is
/// decided here: <see cref="Check"/> reads one migration, and what only the migrations before it can tell — whether a
/// column is proven not null (ROS0110), the type a change starts from (ROS0109), whether a function a default calls was
/// created VOLATILE (ROS0107) — it leaves to <see cref="CheckReplayed"/>, which the catalog stage calls for each step
/// as it replays the migrations.
/// </summary>
internal static class UnsafeOperationRules
{
    /// <summary>Functions whose value differs per row: a default calling one is evaluated for every existing row.</summary>
    private static readonly HashSet<string> VolatileFunctions = new(StringComparer.OrdinalIgnoreCase)
    {
        "random", "random_normal", "gen_random_uuid", "gen_random_bytes", "uuid_generate_v1", "uuid_generate_v1mc", "uuid_generate_v4",
        "uuidv4", "uuidv7", "clock_timestamp", "timeofday", "nextval", "setseed", "txid_current",
    };

    /// <summary>Checks one migration's Up script.</summary>
    /// <returns>The checks left to <see cref="CheckReplayed"/>: per statement, the ids not excused that need the migrations before it.</returns>
    public static EquatableArray<StatementCheck> Check(ParsedScript script, HashSet<string>[] allowed, LintContext context, List<DiagnosticInfo> diagnostics)
    {
        var created = new HashSet<string>(StringComparer.Ordinal);
        var createdIndexes = new HashSet<string>(StringComparer.Ordinal);
        var notValidHere = new HashSet<string>(StringComparer.Ordinal);
        var lockTimeout = context.LockTimeout;
        var statementTimeout = context.StatementTimeout;
        var deferred = new List<StatementCheck>();
        var deferredSet = new HashSet<StatementCheck>();
        var missingTimeouts = new List<(int Statement, TokenRange Range, string[] Arguments)>();

        for (var index = 0; index < script.Statements.Count; index++)
        {
            var statement = script.Statements[index];
            var s = statement.Statement;
            var statementIndex = index;
            var lockReported = false;

            void Report(DiagnosticDescriptor descriptor, TokenRange range, params string[] arguments)
            {
                if (!allowed[statementIndex].Contains(descriptor.Id))
                {
                    diagnostics.Add(DiagnosticInfo.Create(descriptor, script.Locate(s, range), arguments));
                }
            }

            void Defer(string id)
            {
                if (!allowed[statementIndex].Contains(id) && deferredSet.Add(new StatementCheck(statementIndex, id)))
                {
                    deferred.Add(new StatementCheck(statementIndex, id));
                }
            }

            // Any statement that locks an existing table needs lock_timeout and statement_timeout in effect. One
            // header fixes every such statement, so the file gets one ROS0118, on the first, with the count of the rest.
            void Locks(string what, TokenRange range)
            {
                if (lockReported || (lockTimeout && statementTimeout) || allowed[statementIndex].Contains(DiagnosticDescriptors.MissingTimeout.Id))
                {
                    return;
                }

                lockReported = true;
                var missing = !lockTimeout && !statementTimeout ? "lock_timeout or statement_timeout" : !lockTimeout ? "lock_timeout" : "statement_timeout";
                missingTimeouts.Add((statementIndex, range, new[] { Describe(statement), what, missing }));
            }

            bool Existing(string table) => !created.Contains(table);

            switch (statement)
            {
                // SET lock_timeout = 0 (as pg_dump writes it) or back to the default turns the timeout off again.
                case SetStatement set:
                    lockTimeout = set.Setting == "lock_timeout" ? set.SetsTimeout : lockTimeout;
                    statementTimeout = set.Setting == "statement_timeout" ? set.SetsTimeout : statementTimeout;
                    break;

                case CreateTableStatement create:
                    foreach (var foreignKey in create.Constraints.Concat(create.Columns.SelectMany(c => c.Constraints)).Where(c => c.Kind == ConstraintKind.ForeignKey))
                    {
                        // A foreign key locks the table it references (SHARE ROW EXCLUSIVE), even from a new table.
                        if (foreignKey.ReferencedTable is { } referenced && referenced.Name != create.Table.Name && Existing(referenced.Name))
                        {
                            Locks("existing table '" + referenced.Name + "' (a foreign key locks the table it references)", foreignKey.Range);
                        }
                    }

                    if (context.Transactional)
                    {
                        created.Add(create.Table.Name);
                    }

                    break;

                case AlterTableStatement alter:
                    CheckAlterTable(alter, Existing(alter.Table.Name), context, notValidHere, Existing, Report, Locks, Defer);
                    break;

                case CreateIndexStatement createIndex when context.Transactional && createIndex.Concurrently:
                    Report(DiagnosticDescriptors.ConcurrentlyInTransaction, createIndex.Lead, "CREATE INDEX CONCURRENTLY");
                    break;

                case CreateIndexStatement createIndex:
                    if (createIndex.Name is { } indexName && context.Transactional)
                    {
                        createdIndexes.Add(indexName);
                    }

                    if (Existing(createIndex.Table.Name))
                    {
                        if (!createIndex.Concurrently)
                        {
                            Report(DiagnosticDescriptors.CreateIndexWithoutConcurrently, createIndex.Lead, createIndex.Name ?? "(unnamed)", createIndex.Table.Name);
                        }

                        Locks(ExistingTable(createIndex.Table.Name), createIndex.Lead);
                    }

                    break;

                case DropStatement { ObjectKind: "INDEX" } drop when context.Transactional && drop.Concurrently:
                    Report(DiagnosticDescriptors.ConcurrentlyInTransaction, drop.Lead, "DROP INDEX CONCURRENTLY");
                    break;

                case DropStatement { ObjectKind: "INDEX" } drop:
                    foreach (var name in drop.Names.Where(n => !createdIndexes.Contains(n.Name)))
                    {
                        if (!drop.Concurrently)
                        {
                            Report(DiagnosticDescriptors.DropIndexWithoutConcurrently, name.Range, name.Name);
                        }

                        Locks("the table of index '" + name.Name + "'", drop.Lead);
                    }

                    break;

                case DropStatement { ObjectKind: "TABLE" } drop:
                    foreach (var name in drop.Names.Where(n => Existing(n.Name)))
                    {
                        Report(DiagnosticDescriptors.DropTable, name.Range, name.Name);
                        Locks(ExistingTable(name.Name), drop.Lead);
                    }

                    break;

                case DropStatement { ObjectKind: "SCHEMA" } drop:
                    foreach (var name in drop.Names)
                    {
                        Report(DiagnosticDescriptors.DropSchema, name.Range, name.Name);
                    }

                    break;

                case ReindexStatement reindex when reindex.Concurrently && context.Transactional:
                    Report(DiagnosticDescriptors.ConcurrentlyInTransaction, reindex.Lead, "REINDEX CONCURRENTLY");
                    break;

                case ReindexStatement reindex when reindex.Table is null || Existing(reindex.Table.Name):
                    Locks(reindex.Table is { } reindexed ? ExistingTable(reindexed.Name) : "the tables it rebuilds", reindex.Lead);
                    break;

                case TableLockStatement locking:
                    foreach (var table in locking.Tables.Where(t => Existing(t.Name)))
                    {
                        Locks(ExistingTable(table.Name), locking.Lead);
                    }

                    break;
            }
        }

        if (missingTimeouts.Count > 0)
        {
            var (statement, range, arguments) = missingTimeouts[0];
            var more = missingTimeouts.Count - 1;
            var andMore = more == 0 ? string.Empty
                : more == 1 ? ", and so does 1 more statement in this file"
                : ", and so do " + more.ToString(CultureInfo.InvariantCulture) + " more statements in this file";
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MissingTimeout, script.Locate(script.Statements[statement].Statement, range), arguments[0], arguments[1], arguments[2], andMore));
        }

        return deferred.ToEquatableArray();
    }

    /// <summary>
    /// Decides the checks <see cref="Check"/> left to the replay, for one step of a migration, against the database as
    /// the migrations before it (and this one's earlier steps) leave it. Called before the step is applied.
    /// </summary>
    /// <param name="step">The step, resolved to the table it means.</param>
    /// <param name="deferred">The checks <see cref="Check"/> left for the step's file.</param>
    /// <param name="database">What the migrations before the step create.</param>
    /// <param name="postgresVersion">The major version the project declares.</param>
    /// <param name="diagnostics">Where the findings go.</param>
    public static void CheckReplayed(DatabaseStep step, ISet<StatementCheck> deferred, MigratedDatabase database, int postgresVersion, List<DiagnosticInfo> diagnostics)
    {
        bool Deferred(DiagnosticDescriptor descriptor) => deferred.Contains(new StatementCheck(step.Statement, descriptor.Id));
        switch (step.Kind)
        {
            case DatabaseStepKind.SetNotNull when step.Column is { } column && Deferred(DiagnosticDescriptors.SetNotNullWithoutCheck) && !database.IsProvenNotNull(step.Table, column):
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SetNotNullWithoutCheck, step.Location, column, step.Table, SetNotNullAdvice(column, postgresVersion)));
                break;
            case DatabaseStepKind.AlterColumnType when step.Column is { } column && Deferred(DiagnosticDescriptors.AlterColumnType):
                var from = database.ColumnType(step.Table, column);
                if (!ColumnTypeChanges.RewritesNothing(from, step.SqlType, postgresVersion))
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.AlterColumnType, step.Location, column, step.Table, ColumnTypeChanges.Describe(from, step.SqlType)));
                }

                break;
            case DatabaseStepKind.AddColumn when Deferred(DiagnosticDescriptors.AddColumnRewritingDefault) &&
                                                 step.Functions.FirstOrDefault(f => database.VolatileFunctionCreatedBy(f) is not null) is { } function:
                diagnostics.Add(DiagnosticInfo.Create(
                    DiagnosticDescriptors.AddColumnRewritingDefault,
                    step.Location,
                    step.Column ?? string.Empty,
                    step.Table,
                    "a default calling " + function + "(), which " + database.VolatileFunctionCreatedBy(function) + " creates VOLATILE (a function that names no volatility is VOLATILE), so it is evaluated for every row"));
                break;
        }
    }

    /// <summary>
    /// How to set a column NOT NULL without the scan (ROS0110): from PostgreSQL 12 a validated not-null CHECK lets
    /// SET NOT NULL skip it; before 12 nothing does.
    /// </summary>
    private static string SetNotNullAdvice(string column, int postgresVersion) => postgresVersion < 12
        ? "PostgreSQL " + postgresVersion.ToString(CultureInfo.InvariantCulture) + " always scans; keep a validated CHECK (" + column + " IS NOT NULL) instead until the project runs PostgreSQL 12 or later"
        : "first ADD CONSTRAINT … CHECK (" + column + " IS NOT NULL) NOT VALID, VALIDATE it in a later migration, then SET NOT NULL (PostgreSQL 12 and later then skip the scan)";

    private static void CheckAlterTable(
        AlterTableStatement alter,
        bool existing,
        LintContext context,
        HashSet<string> notValidHere,
        Func<string, bool> isExisting,
        Action<DiagnosticDescriptor, TokenRange, string[]> report,
        Action<string, TokenRange> locks,
        Action<string> defer)
    {
        var table = alter.Table.Name;
        foreach (var action in alter.Actions)
        {
            // Constraints added NOT VALID here are remembered even on new tables: validating them here would hold the lock.
            if (action.Constraint is { NotValid: true, Name: { } notValidName } && context.Transactional)
            {
                notValidHere.Add(notValidName);
            }

            var references = (action.Constraint is { } c ? new[] { c } : action.Definition?.Constraints ?? Array.Empty<ConstraintClause>())
                .Where(k => k.Kind == ConstraintKind.ForeignKey && k.ReferencedTable is { } r && r.Name != table && isExisting(r.Name));
            foreach (var foreignKey in references)
            {
                locks("existing table '" + foreignKey.ReferencedTable!.Name + "' (a foreign key locks the table it references)", action.Range);
            }

            if (!existing)
            {
                continue;
            }

            locks(ExistingTable(table), action.Range);
            switch (action.Kind)
            {
                case AlterActionKind.DropColumn:
                    report(DiagnosticDescriptors.DropColumn, action.Range, new[] { action.Column!.Name, table });
                    break;
                case AlterActionKind.RenameTable:
                    report(DiagnosticDescriptors.RenameTable, action.Range, new[] { table });
                    break;
                case AlterActionKind.RenameColumn:
                    report(DiagnosticDescriptors.RenameColumn, action.Range, new[] { action.Column!.Name, table });
                    break;
                case AlterActionKind.AlterColumnType when action.NewType is null || action.NewTypeClause:
                    // A USING clause may change every value, a COLLATE clause rebuilds the indexes: whatever the types.
                    report(DiagnosticDescriptors.AlterColumnType, action.Range, new[]
                    {
                        action.Column!.Name, table, action.NewType is null ? "to another type" : "to " + action.NewType + " with a USING or COLLATE clause",
                    });
                    break;
                case AlterActionKind.AlterColumnType:
                    // Whether it rewrites depends on the type the earlier migrations gave the column.
                    defer(DiagnosticDescriptors.AlterColumnType.Id);
                    break;
                case AlterActionKind.SetNotNull when context.PostgresVersion < 12:
                    // Before 12 no CHECK spares the scan, whatever the earlier migrations did: decided here.
                    report(DiagnosticDescriptors.SetNotNullWithoutCheck, action.Range, new[] { action.Column!.Name, table, SetNotNullAdvice(action.Column.Name, context.PostgresVersion) });
                    break;
                case AlterActionKind.SetNotNull:
                    defer(DiagnosticDescriptors.SetNotNullWithoutCheck.Id);
                    break;
                case AlterActionKind.AddColumn:
                    CheckAddColumn(alter.Statement, action.Definition!, table, context, action.Range, report, defer);
                    break;
                case AlterActionKind.AddConstraint:
                    CheckAddConstraint(action.Constraint!, table, action.Range, report);
                    break;
                case AlterActionKind.ValidateConstraint when context.Transactional && notValidHere.Contains(action.ConstraintName!):
                    report(DiagnosticDescriptors.ValidateInSameTransaction, action.Range, new[] { action.ConstraintName! });
                    break;
            }
        }
    }

    private static void CheckAddColumn(SqlStatement s, ColumnDefinitionClause column, string table, LintContext context, TokenRange range, Action<DiagnosticDescriptor, TokenRange, string[]> report, Action<string> defer)
    {
        var name = column.Name.Name;
        if (column.Default is { } calling && !column.GeneratedStored && !column.Serial && !column.Identity && !IsVolatile(s, calling) && CallsFunction(s, calling) &&
            context.PostgresVersion >= 11)
        {
            // Whether a function the migrations create is volatile is known only across files.
            defer(DiagnosticDescriptors.AddColumnRewritingDefault.Id);
        }

        if (column.GeneratedStored)
        {
            report(DiagnosticDescriptors.AddStoredGeneratedColumn, range, new[] { name, table });
        }
        else if (column.Serial || column.Identity)
        {
            report(DiagnosticDescriptors.AddColumnRewritingDefault, range, new[] { name, table, "the implicit nextval() default of " + (column.Serial ? "a serial type" : "an identity column") });
        }
        else if (column.Default is { } volatileDefault && IsVolatile(s, volatileDefault))
        {
            report(DiagnosticDescriptors.AddColumnRewritingDefault, range, new[] { name, table, "a volatile default, evaluated for every row (" + Text(s, volatileDefault) + ")" });
        }
        else if (column.Default is { } constantDefault && context.PostgresVersion < 11 && !s.IsWord(constantDefault.First, "NULL"))
        {
            report(DiagnosticDescriptors.AddColumnRewritingDefault, range, new[]
            {
                name, table, "a default, which PostgreSQL " + context.PostgresVersion.ToString(CultureInfo.InvariantCulture) + " writes into every row (only from 11 is a constant default free)",
            });
        }
        else if (column.NotNull && column.Default is null)
        {
            report(DiagnosticDescriptors.AddNotNullColumnWithoutDefault, range, new[] { name, table });
        }

        foreach (var constraint in column.Constraints)
        {
            CheckAddConstraint(constraint, table, range, report);
        }
    }

    private static void CheckAddConstraint(ConstraintClause constraint, string table, TokenRange range, Action<DiagnosticDescriptor, TokenRange, string[]> report)
    {
        var name = constraint.Name is { } n ? "'" + n + "'" : "(unnamed)";
        switch (constraint.Kind)
        {
            case ConstraintKind.ForeignKey when !constraint.NotValid:
                report(DiagnosticDescriptors.AddForeignKeyWithoutNotValid, range, new[] { name, table });
                break;
            case ConstraintKind.Check when !constraint.NotValid:
                report(DiagnosticDescriptors.AddCheckWithoutNotValid, range, new[] { name, table });
                break;
            case ConstraintKind.Unique or ConstraintKind.PrimaryKey when !constraint.UsingIndex:
                report(DiagnosticDescriptors.AddUniqueOrPrimaryKey, range, new[] { constraint.Kind == ConstraintKind.Unique ? "UNIQUE" : "PRIMARY KEY", table });
                break;
        }
    }

    private static string ExistingTable(string table) => "existing table '" + table + "'";

    /// <summary>What a lock-taking statement is, for the message: "ALTER TABLE", "CREATE INDEX", "CREATE TRIGGER", "TRUNCATE"…</summary>
    private static string Describe(DdlStatement statement) => statement switch
    {
        CreateTableStatement create => "CREATE TABLE " + create.Table.Name,
        AlterTableStatement => "ALTER TABLE",
        CreateIndexStatement => "CREATE INDEX",
        DropStatement drop => "DROP " + drop.ObjectKind,
        ReindexStatement => "REINDEX",
        _ when statement.Statement.IsWord(0, "CREATE") || statement.Statement.IsWord(0, "DROP") =>
            statement.Statement.TokenText(0).ToUpperInvariant() + " " + (Enumerable.Range(1, statement.Statement.Tokens.Count - 1)
                .Select(i => statement.Statement.TokenText(i).ToUpperInvariant())
                .FirstOrDefault(w => w is "TRIGGER" or "RULE" or "POLICY") ?? string.Empty),
        _ => statement.Statement.Lead(statement.Statement.IsWord(0, "VACUUM") ? 2 : 1),
    };

    private static string Text(SqlStatement s, TokenRange range) =>
        s.Source.Substring(s.Tokens[range.First].Start, s.Tokens[range.Last].End - s.Tokens[range.First].Start);

    private static bool CallsFunction(SqlStatement statement, TokenRange range)
    {
        for (var i = range.First; i <= range.Last && i + 1 < statement.Tokens.Count; i++)
        {
            if (statement.Tokens[i].Kind == SqlTokenKind.Word && statement.Tokens[i + 1].Kind == SqlTokenKind.OpenParen)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether a DEFAULT expression is evaluated per row: it calls a volatile function PostgreSQL ships.</summary>
    private static bool IsVolatile(SqlStatement statement, TokenRange range)
    {
        for (var i = range.First; i <= range.Last && i + 1 < statement.Tokens.Count; i++)
        {
            if (statement.Tokens[i].Kind == SqlTokenKind.Word && statement.Tokens[i + 1].Kind == SqlTokenKind.OpenParen &&
                VolatileFunctions.Contains(statement.TokenText(i)))
            {
                return true;
            }
        }

        return false;
    }
}
