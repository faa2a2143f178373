using ReferralOS.Sdk.Generators.Parsing;

namespace ReferralOS.Sdk.Generators.Validation;

/// <summary>
/// The database as the migrations leave it: the tables, columns, validated not-null checks and volatile functions
/// they create, replayed step by step in file order, so each file is checked against what stands before it.
/// </summary>
internal sealed class MigratedDatabase
{
    private readonly Dictionary<string, TableState> _tables = new(StringComparer.Ordinal);

    /// <summary>The functions the migrations create VOLATILE, and the migration that last created each.</summary>
    private readonly Dictionary<string, string> _volatileFunctions = new(StringComparer.Ordinal);

    /// <summary>Columns of a table; <see cref="ColumnsKnown"/> is false for views and CREATE TABLE … AS/LIKE/PARTITION OF.</summary>
    private sealed class TableState
    {
        public Dictionary<string, string> Columns { get; } = new(StringComparer.Ordinal);

        public bool ColumnsKnown { get; set; } = true;

        /// <summary>Columns with a validated CHECK (column IS NOT NULL).</summary>
        public HashSet<string> ProvenNotNull { get; } = new(StringComparer.Ordinal);

        /// <summary>NOT VALID not-null checks by constraint name, and the column each covers.</summary>
        public Dictionary<string, string> PendingNotNullChecks { get; } = new(StringComparer.Ordinal);
    }

    public bool HasTable(string table) => _tables.ContainsKey(table);

    /// <summary>Whether the table has the column, or its columns are not known (so nothing can be said).</summary>
    public bool HasColumn(string table, string column) =>
        !_tables.TryGetValue(table, out var state) || !state.ColumnsKnown || state.Columns.ContainsKey(column) || SystemColumns.Contains(column);

    public bool IsProvenNotNull(string table, string column) =>
        _tables.TryGetValue(table, out var state) && state.ProvenNotNull.Contains(column);

    /// <summary>The migration that created <paramref name="function"/> VOLATILE, or null when none did (or a later one replaced it IMMUTABLE or STABLE).</summary>
    public string? VolatileFunctionCreatedBy(string function) => _volatileFunctions.TryGetValue(function, out var version) ? version : null;

    /// <summary>The declared SQL type of a column, or null when no migration creates it.</summary>
    public string? ColumnType(string table, string column) =>
        _tables.TryGetValue(table, out var state) && state.Columns.TryGetValue(column, out var type) ? type : null;

    private static readonly HashSet<string> SystemColumns = new(StringComparer.Ordinal) { "ctid", "oid", "xmin", "xmax", "cmin", "cmax", "tableoid" };

    /// <summary>
    /// The step on the table it means: the first of its candidate keys (search-path order) that is a table, else
    /// the key it was read with. A rename within a schema keeps the table in the schema it resolved to.
    /// </summary>
    public DatabaseStep Resolve(DatabaseStep step)
    {
        var table = step.Candidates.FirstOrDefault(HasTable);
        if (table is null || table == step.Table)
        {
            return step;
        }

        var name = step.Kind == DatabaseStepKind.RenameTable && step.Name is { } newKey && SchemaOf(newKey) == SchemaOf(step.Table)
            ? (SchemaOf(table) is var schema && schema == "public" ? string.Empty : schema + ".") + newKey.Substring(newKey.LastIndexOf('.') + 1)
            : step.Name;
        return step with { Table = table, Name = name };
    }

    private static string SchemaOf(string key) => key.IndexOf('.') is > 0 and var dot ? key.Substring(0, dot) : "public";

    /// <summary>Applies a step of the file <paramref name="version"/>; uses and SET NOT NULL change nothing.</summary>
    public void Apply(DatabaseStep step, string version)
    {
        _tables.TryGetValue(step.Table, out var table);
        switch (step.Kind)
        {
            case DatabaseStepKind.CreateFunction when step.Name is { } function:
                if (step.Volatile)
                {
                    _volatileFunctions[function] = version;
                }
                else
                {
                    _volatileFunctions.Remove(function);
                }

                break;
            case DatabaseStepKind.CreateTable:
                // CREATE TABLE IF NOT EXISTS of a table that exists changes nothing.
                if (table is null)
                {
                    table = new TableState { ColumnsKnown = step.ColumnsKnown };
                    foreach (var column in step.Columns)
                    {
                        table.Columns[column.Name] = column.SqlType;
                    }

                    _tables[step.Table] = table;
                }

                break;
            case DatabaseStepKind.AddColumn when table is not null && step.Column is { } added:
                if (!table.Columns.ContainsKey(added))
                {
                    table.Columns[added] = step.SqlType ?? string.Empty;
                }

                break;
            case DatabaseStepKind.AlterColumnType when table is not null && step.Column is { } changed && step.SqlType is { } newType:
                if (table.Columns.ContainsKey(changed))
                {
                    table.Columns[changed] = newType;
                }

                break;
            case DatabaseStepKind.DropTable:
                _tables.Remove(step.Table);
                break;
            case DatabaseStepKind.DropColumn when table is not null && step.Column is { } dropped:
                table.Columns.Remove(dropped);
                table.ProvenNotNull.Remove(dropped);
                break;
            case DatabaseStepKind.RenameTable when table is not null && step.Name is { } newName:
                _tables.Remove(step.Table);
                _tables[newName] = table;
                break;
            case DatabaseStepKind.RenameColumn when table is not null && step.Column is { } old && step.Name is { } renamed:
                if (table.Columns.TryGetValue(old, out var type))
                {
                    table.Columns.Remove(old);
                    table.Columns[renamed] = type;
                }

                if (table.ProvenNotNull.Remove(old))
                {
                    table.ProvenNotNull.Add(renamed);
                }

                break;
            case DatabaseStepKind.AddNotNullCheck when table is not null && step.Column is { } checkedColumn:
                if (step.Validated)
                {
                    table.ProvenNotNull.Add(checkedColumn);
                }
                else if (step.Name is { } constraint)
                {
                    table.PendingNotNullChecks[constraint] = checkedColumn;
                }

                break;
            case DatabaseStepKind.ValidateConstraint when table is not null && step.Name is { } validated:
                if (table.PendingNotNullChecks.TryGetValue(validated, out var provenColumn))
                {
                    table.PendingNotNullChecks.Remove(validated);
                    table.ProvenNotNull.Add(provenColumn);
                }

                break;
        }
    }
}
