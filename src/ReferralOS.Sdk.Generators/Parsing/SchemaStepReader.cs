using ReferralOS.Sdk.Generators.Pipeline;

namespace ReferralOS.Sdk.Generators.Parsing;

/// <summary>
/// Reads what each statement of a script does to, and needs from, the schema, as <see cref="SchemaStep"/>s. A
/// table is named by its key; a step on a table that already exists carries the keys it may resolve to, and a
/// table of a system schema (pg_catalog, information_schema) is never checked.
/// </summary>
internal static class SchemaStepReader
{
    /// <param name="script">The script.</param>
    /// <param name="checkReferences">
    /// Per statement, whether its uses of tables and columns are to be checked (false where an opt-out excuses them).
    /// </param>
    /// <param name="proveSetNotNull">
    /// Per statement, whether its SET NOT NULL needs a validated not-null CHECK from an earlier migration (the
    /// unsafe-operation rules decide: not on a new table, not when excused, not before PostgreSQL 12).
    /// </param>
    public static List<SchemaStep> Read(ParsedScript script, Func<int, string, bool> checkReferences, Func<int, bool> proveSetNotNull)
    {
        var steps = new List<SchemaStep>();
        for (var index = 0; index < script.Statements.Count; index++)
        {
            var statement = script.Statements[index];
            var s = statement.Statement;
            var checkTables = checkReferences(index, "ROS0016");
            var checkColumns = checkReferences(index, "ROS0017");

            // A step on a table that exists: resolved across files to the first of its candidate keys that is a table.
            void On(SchemaStepKind kind, NameRef table, SchemaStep? shape = null)
            {
                if (!table.InSystemSchema)
                {
                    steps.Add((shape ?? new SchemaStep(kind, table.Name)) with { Kind = kind, Table = table.Name, Candidates = table.Candidates });
                }
            }

            void UseTable(NameRef table)
            {
                if (checkTables)
                {
                    On(SchemaStepKind.UseTable, table, new SchemaStep(SchemaStepKind.UseTable, table.Name) { Location = script.Locate(s, table.Range) });
                }
            }

            void UseColumn(NameRef table, NameRef column)
            {
                if (checkColumns)
                {
                    On(SchemaStepKind.UseColumn, table, new SchemaStep(SchemaStepKind.UseColumn, table.Name) { Column = column.Name, Location = script.Locate(s, column.Range) });
                }
            }

            void UseConstraint(NameRef table, ConstraintDef constraint)
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
                    On(SchemaStepKind.AddNotNullCheck, table, new SchemaStep(SchemaStepKind.AddNotNullCheck, table.Name) { Column = checkedColumn, Name = constraint.Name, Validated = !constraint.NotValid });
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
                    steps.Add(new SchemaStep(SchemaStepKind.CreateTable, create.Table.Name)
                    {
                        Columns = create.Columns.Select(c => new ColumnDefinition(c.Name.Name, c.SqlType)).ToEquatableArray(),
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
                                On(SchemaStepKind.AddColumn, table, new SchemaStep(SchemaStepKind.AddColumn, table.Name) { Column = column.Name.Name, SqlType = column.SqlType });
                                foreach (var constraint in column.Constraints)
                                {
                                    UseConstraint(table, constraint);
                                }

                                break;
                            case AlterActionKind.AddConstraint when action.Constraint is { } constraint:
                                UseConstraint(table, constraint);
                                break;
                            case AlterActionKind.DropColumn when action.Column is { } column:
                                On(SchemaStepKind.DropColumn, table, new SchemaStep(SchemaStepKind.DropColumn, table.Name) { Column = column.Name });
                                break;
                            case AlterActionKind.RenameColumn when action.Column is { } column && action.NewName is { } newName:
                                UseColumn(table, column);
                                On(SchemaStepKind.RenameColumn, table, new SchemaStep(SchemaStepKind.RenameColumn, table.Name) { Column = column.Name, Name = newName });
                                break;
                            case AlterActionKind.RenameTable or AlterActionKind.SetSchema when action.NewName is { } newKey:
                                On(SchemaStepKind.RenameTable, table, new SchemaStep(SchemaStepKind.RenameTable, table.Name) { Name = newKey });
                                table = new NameRef(newKey, table.Range);
                                break;
                            case AlterActionKind.AlterColumnType when action.Column is { } column:
                                UseColumn(table, column);
                                break;
                            case AlterActionKind.SetNotNull when action.Column is { } column:
                                UseColumn(table, column);
                                if (proveSetNotNull(index))
                                {
                                    On(SchemaStepKind.SetNotNull, table, new SchemaStep(SchemaStepKind.SetNotNull, table.Name) { Column = column.Name, Location = script.Locate(s, action.Range) });
                                }

                                break;
                            case AlterActionKind.ValidateConstraint when action.ConstraintName is { } name:
                                On(SchemaStepKind.ValidateConstraint, table, new SchemaStep(SchemaStepKind.ValidateConstraint, table.Name) { Name = name });
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

                        On(SchemaStepKind.DropTable, dropped);
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
}
