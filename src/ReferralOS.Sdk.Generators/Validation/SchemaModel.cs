using ReferralOS.Sdk.Generators.Parsing;

namespace ReferralOS.Sdk.Generators.Validation;

/// <summary>The tables and column types the migrations create, replayed in file order.</summary>
internal sealed class SchemaModel
{
    private readonly Dictionary<string, Dictionary<string, string>> _tables = new(StringComparer.Ordinal);

    public static SchemaModel Build(IEnumerable<SqlFileModel> migrations)
    {
        var schema = new SchemaModel();
        foreach (var change in migrations.SelectMany(m => m.TableChanges))
        {
            if (!schema._tables.TryGetValue(change.Table, out var columns))
            {
                columns = new Dictionary<string, string>(StringComparer.Ordinal);
                schema._tables[change.Table] = columns;
            }

            foreach (var column in change.Columns)
            {
                columns[column.Name] = column.SqlType;
            }
        }

        return schema;
    }

    public bool HasTable(string table) => _tables.ContainsKey(table);

    /// <summary>The declared SQL type of a column, or null when no migration creates it.</summary>
    public string? ColumnType(string table, string column) =>
        _tables.TryGetValue(table, out var columns) && columns.TryGetValue(column, out var type) ? type : null;
}
