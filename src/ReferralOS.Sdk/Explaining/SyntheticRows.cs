using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Npgsql;
using ReferralOS.Sdk.History;

namespace ReferralOS.Sdk.Explaining;

/// <summary>
/// Fills the scratch copy's tables with rows made up to fit them, so that a migration meets rows to scan, rewrite and
/// index: parents before children (foreign keys point at rows that exist, a tenant-scoped key at the same tenant's),
/// values by column type, a CHECK that lists the allowed values (<c>status IN ('pending', 'paid')</c>) honoured,
/// columns with a default left to it. Each row is inserted on its own on the server and one that still breaks a
/// constraint is skipped, so the count is at most the one asked for.
/// </summary>
internal static partial class SyntheticRows
{
    private const string TablesQuery =
        """
        SELECT c.oid, c.oid::pg_catalog.regclass::text,
               COALESCE((SELECT pg_catalog.array_agg(DISTINCT f.confrelid) FROM pg_catalog.pg_constraint f WHERE f.conrelid = c.oid AND f.contype = 'f' AND f.confrelid <> c.oid), '{}')
          FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
         WHERE c.oid >= 16384 AND c.relkind = 'r' AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)'
        """;

    private const string ColumnsQuery =
        """
        SELECT a.attname::text, pg_catalog.format_type(a.atttypid, a.atttypmod), a.atttypmod, t.typcategory,
               (a.atthasdef OR a.attidentity <> '' OR a.attgenerated <> '') AS defaulted
          FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
         WHERE a.attrelid = $1 AND a.attnum > 0 AND NOT a.attisdropped
         ORDER BY a.attnum
        """;

    /// <summary>Each foreign key: the referenced table, and the referencing and referenced columns in order.</summary>
    private const string ForeignKeysQuery =
        """
        SELECT f.confrelid::pg_catalog.regclass::text,
               ARRAY(SELECT a.attname::text FROM unnest(f.conkey) WITH ORDINALITY k(attnum, i) JOIN pg_catalog.pg_attribute a ON a.attrelid = f.conrelid AND a.attnum = k.attnum ORDER BY k.i),
               ARRAY(SELECT a.attname::text FROM unnest(f.confkey) WITH ORDINALITY k(attnum, i) JOIN pg_catalog.pg_attribute a ON a.attrelid = f.confrelid AND a.attnum = k.attnum ORDER BY k.i)
          FROM pg_catalog.pg_constraint f WHERE f.conrelid = $1 AND f.contype = 'f' AND f.confrelid <> f.conrelid
         ORDER BY f.conname
        """;

    private const string ChecksQuery = "SELECT pg_catalog.pg_get_constraintdef(oid) FROM pg_catalog.pg_constraint WHERE conrelid = $1 AND contype = 'c'";

    /// <summary>Fills each table that <paramref name="rowsFor"/> gives a count for; returns the rows each table then holds.</summary>
    public static async Task<IReadOnlyDictionary<string, long>> FillAsync(NpgsqlConnection connection, Func<string, int> rowsFor, CancellationToken cancellationToken)
    {
        var tables = new List<(uint Oid, string Name, uint[] Parents)>();
        await using (var command = new NpgsqlCommand(TablesQuery, connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                tables.Add((reader.GetFieldValue<uint>(0), reader.GetString(1), reader.GetFieldValue<uint[]>(2)));
            }
        }

        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in ParentsFirst(tables))
        {
            var rows = rowsFor(table.Name);
            if (rows > 0)
            {
                var insert = await InsertAsync(connection, table.Oid, table.Name, cancellationToken).ConfigureAwait(false);
                await ExecuteAsync(
                    connection,
                    $"DO $fill$ BEGIN FOR g IN 1..{rows.ToString(CultureInfo.InvariantCulture)} LOOP BEGIN EXECUTE {HistoryTable.Literal(insert)} USING g::bigint; EXCEPTION WHEN OTHERS THEN NULL; END; END LOOP; END $fill$",
                    cancellationToken).ConfigureAwait(false);
                await ExecuteAsync(connection, $"ANALYZE {table.Name}", cancellationToken).ConfigureAwait(false);
            }

            await using var count = new NpgsqlCommand($"SELECT count(*) FROM {table.Name}", connection);
            counts[table.Name] = (long)(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }

        return counts;
    }

    /// <summary>The tables in an order where each comes after the tables it references (a cycle is broken where it is met).</summary>
    private static List<(uint Oid, string Name, uint[] Parents)> ParentsFirst(List<(uint Oid, string Name, uint[] Parents)> tables)
    {
        var byOid = tables.ToDictionary(t => t.Oid);
        var ordered = new List<(uint, string, uint[])>(tables.Count);
        var state = new Dictionary<uint, bool>();
        void Visit((uint Oid, string Name, uint[] Parents) table)
        {
            if (state.ContainsKey(table.Oid))
            {
                return;
            }

            state[table.Oid] = false;
            foreach (var parent in table.Parents)
            {
                if (byOid.TryGetValue(parent, out var known))
                {
                    Visit(known);
                }
            }

            state[table.Oid] = true;
            ordered.Add(table);
        }

        foreach (var table in tables)
        {
            Visit(table);
        }

        return ordered;
    }

    /// <summary>The INSERT of one row, numbered by its parameter $1: each foreign key a lateral pick of a parent row, each other column a value of its type.</summary>
    private static async Task<string> InsertAsync(NpgsqlConnection connection, uint table, string name, CancellationToken cancellationToken)
    {
        var columns = new List<(string Name, string Type, int TypeModifier, char Category, bool Defaulted)>();
        await using (var command = new NpgsqlCommand(ColumnsQuery, connection) { Parameters = { new NpgsqlParameter<uint> { TypedValue = table, DataTypeName = "oid" } } })
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                columns.Add((reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetChar(3), reader.GetBoolean(4)));
            }
        }

        var bound = new Dictionary<string, string>(StringComparer.Ordinal);
        var joins = new StringBuilder();
        var keys = 0;
        await using (var command = new NpgsqlCommand(ForeignKeysQuery, connection) { Parameters = { new NpgsqlParameter<uint> { TypedValue = table, DataTypeName = "oid" } } })
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var parent = reader.GetString(0);
                var from = reader.GetFieldValue<string[]>(1);
                var to = reader.GetFieldValue<string[]>(2);
                var alias = $"f{++keys}";

                // A column an earlier key already chose (a tenant-scoped key's tenant_id) narrows this key's pick to rows that agree.
                var agree = from.Select((column, i) => bound.TryGetValue(column, out var value) ? $"{HistoryTable.Quote(to[i])} = {value}" : null).Where(c => c is not null).ToArray();
                var pick = agree.Length == 0
                    ? $"OFFSET floor(random() * (SELECT count(*) FROM {parent}))::bigint LIMIT 1"
                    : $"WHERE {string.Join(" AND ", agree)} ORDER BY random() LIMIT 1";
                joins.Append(CultureInfo.InvariantCulture, $" LEFT JOIN LATERAL (SELECT {string.Join(", ", to.Select(HistoryTable.Quote))} FROM {parent} {pick}) {alias} ON true");
                for (var i = 0; i < from.Length; i++)
                {
                    bound.TryAdd(from[i], $"{alias}.{HistoryTable.Quote(to[i])}");
                }
            }
        }

        var allowed = await AllowedValuesAsync(connection, table, cancellationToken).ConfigureAwait(false);
        var written = columns.Where(c => bound.ContainsKey(c.Name) || !c.Defaulted).ToArray();
        var values = written.Select(c => bound.TryGetValue(c.Name, out var value) ? value : allowed.TryGetValue(c.Name, out var list) ? $"({list})[1 + g % {list.Count(ch => ch == ',') + 1}]" : ValueOf(c.Type, c.TypeModifier, c.Category));
        return $"INSERT INTO {name} ({string.Join(", ", written.Select(c => HistoryTable.Quote(c.Name)))}) SELECT {string.Join(", ", values)} FROM (SELECT $1 AS g) s{joins} ON CONFLICT DO NOTHING";
    }

    /// <summary>For each column a CHECK limits to a list of literals (<c>status IN ('a', 'b')</c>, deparsed as <c>= ANY (ARRAY[…])</c>), that list as an ARRAY expression.</summary>
    private static async Task<Dictionary<string, string>> AllowedValuesAsync(NpgsqlConnection connection, uint table, CancellationToken cancellationToken)
    {
        var allowed = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var command = new NpgsqlCommand(ChecksQuery, connection) { Parameters = { new NpgsqlParameter<uint> { TypedValue = table, DataTypeName = "oid" } } };
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (AnyOfArray().Match(reader.GetString(0)) is { Success: true } match)
            {
                allowed.TryAdd(match.Groups["column"].Value.Trim('"'), "ARRAY[" + match.Groups["values"].Value + "]");
            }
        }

        return allowed;
    }

    /// <summary>A value of the column's type for row <c>g</c>: distinct per row where the type allows, so unique columns stay unique.</summary>
    private static string ValueOf(string type, int typeModifier, char category) => type switch
    {
        "smallint" => "(g % 32000)::smallint",
        "integer" or "bigint" or "real" or "double precision" => $"g::{type}",
        _ when type.StartsWith("numeric", StringComparison.Ordinal) => "g",
        "uuid" => "(pg_catalog.md5(g::text || random()::text))::uuid",
        "boolean" => "(g % 2 = 0)",
        "date" => "current_date - (g % 3650)::int",
        _ when type.StartsWith("timestamp", StringComparison.Ordinal) => $"(now() - g * interval '1 second')::{type}",
        "jsonb" or "json" => $"'{{}}'::{type}",
        "bytea" => "pg_catalog.decode(pg_catalog.md5(g::text), 'hex')",
        "inet" or "cidr" => $"'10.0.0.1'::{type}",
        _ when category == 'S' && typeModifier > 4 => $"left('v' || g, {(typeModifier - 4).ToString(CultureInfo.InvariantCulture)})::{type}",
        _ when category == 'S' => $"('v' || g)::{type}",
        _ => "NULL",
    };

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    [GeneratedRegex(@"^CHECK \(\(*(?<column>""?[\w]+""?)\)?(?:::[\w ]+)?\s*=\s*ANY\s*\(\(?ARRAY\[(?<values>[^\]]+)\]", RegexOptions.CultureInvariant)]
    private static partial Regex AnyOfArray();
}
