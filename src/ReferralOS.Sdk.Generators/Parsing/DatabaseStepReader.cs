using ReferralOS.Sdk.Generators.Pipeline;
using ReferralOS.Sdk.Generators.Sql;

namespace ReferralOS.Sdk.Generators.Parsing;

/// <summary>
/// Reads what each statement of a script does to, and needs from, the database, as <see cref="DatabaseStep"/>s: every
/// statement's steps, whether or not a rule will look at them. A table is named by its key; a step on a table that
/// already exists carries the keys it may resolve to, and a table of a system schema (pg_catalog, information_schema)
/// gets no step, since no migration creates it.
/// </summary>
internal static class DatabaseStepReader
{
    public static List<DatabaseStep> Read(ParsedScript script)
    {
        var steps = new List<DatabaseStep>();
        for (var index = 0; index < script.Statements.Count; index++)
        {
            var statement = script.Statements[index];
            var s = statement.Statement;

            // A step on a table that exists: resolved across files to the first of its candidate keys that is a table.
            void On(DatabaseStepKind kind, NameRef table, DatabaseStep? shape = null)
            {
                if (!table.InSystemSchema)
                {
                    steps.Add((shape ?? new DatabaseStep(kind, table.Name)) with { Kind = kind, Table = table.Name, Candidates = table.Candidates, Statement = index });
                }
            }

            void UseTable(NameRef table)
            {
                On(DatabaseStepKind.UseTable, table, new DatabaseStep(DatabaseStepKind.UseTable, table.Name) { Location = script.Locate(s, table.Range) });
            }

            void UseColumn(NameRef table, NameRef column)
            {
                On(DatabaseStepKind.UseColumn, table, new DatabaseStep(DatabaseStepKind.UseColumn, table.Name) { Column = column.Name, Location = script.Locate(s, column.Range) });
            }

            void UseConstraint(NameRef table, ConstraintClause constraint)
            {
                if (constraint.Kind is ConstraintKind.ForeignKey or ConstraintKind.Unique or ConstraintKind.PrimaryKey)
                {
                    foreach (var column in constraint.Columns)
                    {
                        UseColumn(table, column);
                    }
                }

                if (constraint.ReferencedTable is { } referenced)
                {
                    UseTable(referenced);
                    foreach (var column in constraint.ReferencedColumns)
                    {
                        UseColumn(referenced, column);
                    }
                }

                if (constraint.Kind == ConstraintKind.Check && constraint.NotNullCheckColumn is { } checkedColumn)
                {
                    On(DatabaseStepKind.AddNotNullCheck, table, new DatabaseStep(DatabaseStepKind.AddNotNullCheck, table.Name) { Column = checkedColumn, Name = constraint.Name, Validated = !constraint.NotValid });
                }
            }

            switch (statement)
            {
                case CreateTableStatement create:
                    if (create.LikeTable is { } like)
                    {
                        UseTable(like);
                    }

                    // The new table is where the statement creates it: its own key, nothing to resolve.
                    steps.Add(new DatabaseStep(DatabaseStepKind.CreateTable, create.Table.Name)
                    {
                        Statement = index,
                        Columns = create.Columns.Select(c => new TableColumn(c.Name.Name, c.SqlType)).ToEquatableArray(),
                        ColumnsKnown = create.ColumnsKnown,
                    });
                    var created = create.Table with { Candidates = EquatableArray<string>.Empty };
                    foreach (var constraint in create.Constraints.Concat(create.Columns.SelectMany(c => c.Constraints)))
                    {
                        UseConstraint(created, constraint);
                    }

                    break;

                case AlterTableStatement alter:
                    var table = alter.Table;
                    if (!alter.IfExists)
                    {
                        UseTable(table);
                    }

                    foreach (var action in alter.Actions)
                    {
                        switch (action.Kind)
                        {
                            case AlterActionKind.AddColumn when action.Definition is { } column:
                                On(DatabaseStepKind.AddColumn, table, new DatabaseStep(DatabaseStepKind.AddColumn, table.Name)
                                {
                                    Column = column.Name.Name,
                                    SqlType = column.SqlType,
                                    Functions = column.Default is { } defaultRange ? CalledFunctions(s, defaultRange).ToEquatableArray() : EquatableArray<string>.Empty,
                                    Location = script.Locate(s, action.Range),
                                });
                                foreach (var constraint in column.Constraints)
                                {
                                    UseConstraint(table, constraint);
                                }

                                break;
                            case AlterActionKind.AddConstraint when action.Constraint is { } constraint:
                                UseConstraint(table, constraint);
                                break;
                            case AlterActionKind.DropColumn when action.Column is { } column:
                                On(DatabaseStepKind.DropColumn, table, new DatabaseStep(DatabaseStepKind.DropColumn, table.Name) { Column = column.Name });
                                break;
                            case AlterActionKind.RenameColumn when action.Column is { } column && action.NewName is { } newName:
                                UseColumn(table, column);
                                On(DatabaseStepKind.RenameColumn, table, new DatabaseStep(DatabaseStepKind.RenameColumn, table.Name) { Column = column.Name, Name = newName });
                                break;
                            case AlterActionKind.RenameTable or AlterActionKind.SetSchema when action.NewName is { } newKey:
                                On(DatabaseStepKind.RenameTable, table, new DatabaseStep(DatabaseStepKind.RenameTable, table.Name) { Name = newKey });
                                table = new NameRef(newKey, table.Range);
                                break;
                            case AlterActionKind.AlterColumnType when action.Column is { } column:
                                UseColumn(table, column);
                                On(DatabaseStepKind.AlterColumnType, table, new DatabaseStep(DatabaseStepKind.AlterColumnType, table.Name)
                                {
                                    Column = column.Name,
                                    SqlType = action.NewType,
                                    Location = script.Locate(s, action.Range),
                                });
                                break;
                            case AlterActionKind.SetNotNull when action.Column is { } column:
                                UseColumn(table, column);
                                On(DatabaseStepKind.SetNotNull, table, new DatabaseStep(DatabaseStepKind.SetNotNull, table.Name) { Column = column.Name, Location = script.Locate(s, action.Range) });
                                break;
                            case AlterActionKind.ValidateConstraint when action.ConstraintName is { } name:
                                On(DatabaseStepKind.ValidateConstraint, table, new DatabaseStep(DatabaseStepKind.ValidateConstraint, table.Name) { Name = name });
                                break;
                        }
                    }

                    break;

                case CreateIndexStatement createIndex:
                    UseTable(createIndex.Table);
                    foreach (var column in createIndex.Columns)
                    {
                        UseColumn(createIndex.Table, column);
                    }

                    break;

                case DropStatement { ObjectKind: "TABLE" } drop:
                    foreach (var dropped in drop.Names)
                    {
                        if (!drop.IfExists)
                        {
                            UseTable(dropped);
                        }

                        On(DatabaseStepKind.DropTable, dropped);
                    }

                    break;

                case InsertStatement insert:
                    UseTable(insert.Table);
                    foreach (var column in insert.Columns)
                    {
                        UseColumn(insert.Table, column);
                    }

                    break;

                case CommentStatement comment:
                    UseTable(comment.Table);
                    if (comment.Column is { } commented)
                    {
                        UseColumn(comment.Table, commented);
                    }

                    break;

                case OtherStatement when CreatedFunction(s) is { } function:
                    steps.Add(function with { Statement = index });
                    break;

                case TableLockStatement locking:
                    foreach (var locked in locking.Tables)
                    {
                        UseTable(locked);
                    }

                    break;
            }
        }

        return steps;
    }

    /// <summary>The functions a DEFAULT expression calls: each word directly followed by an opening parenthesis.</summary>
    private static IEnumerable<string> CalledFunctions(SqlStatement s, TokenRange range)
    {
        for (var i = range.First; i <= range.Last && i + 1 < s.Tokens.Count; i++)
        {
            if (s.Tokens[i].Kind == SqlTokenKind.Word && s.Tokens[i + 1].Kind == SqlTokenKind.OpenParen)
            {
                yield return s.TokenText(i).ToLowerInvariant();
            }
        }
    }

    /// <summary>
    /// CREATE [OR REPLACE] FUNCTION name(…) …: its name without schema, and whether it is VOLATILE — PostgreSQL's
    /// default when neither IMMUTABLE nor STABLE is said before the body (a dollar-quoted body is one token; a
    /// BEGIN ATOMIC body ends the search).
    /// </summary>
    private static DatabaseStep? CreatedFunction(SqlStatement s)
    {
        var i = s.IsWord(1, "OR") && s.IsWord(2, "REPLACE") ? 3 : 1;
        if (!s.IsWord(0, "CREATE") || !s.IsWord(i, "FUNCTION"))
        {
            return null;
        }

        var open = i + 1;
        while (open < s.Tokens.Count && s.Tokens[open].Kind != SqlTokenKind.OpenParen)
        {
            open++;
        }

        if (open >= s.Tokens.Count || s.Tokens[open - 1].Kind != SqlTokenKind.Word)
        {
            return null;
        }

        var name = SqlIdentifier.Normalize(s.Source, s.Tokens[open - 1]);
        var volatileFunction = true;
        for (var k = open; k < s.Tokens.Count && !(s.IsWord(k, "BEGIN") && s.IsWord(k + 1, "ATOMIC")); k++)
        {
            if (s.IsWord(k, "IMMUTABLE") || s.IsWord(k, "STABLE"))
            {
                volatileFunction = false;
            }
        }

        return new DatabaseStep(DatabaseStepKind.CreateFunction, string.Empty) { Name = name, Volatile = volatileFunction };
    }
}
