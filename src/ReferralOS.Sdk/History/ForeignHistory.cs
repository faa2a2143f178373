using System.Globalization;
using System.Numerics;
using Npgsql;
using ReferralOS.Sdk.Migrating;

namespace ReferralOS.Sdk.History;

/// <summary>
/// The history table another migration tool keeps, read (never written) to baseline what that tool applied. Every
/// statement the runtime sends about such a table is written here, the table quoted and, once found, schema-qualified.
/// Each tool's rows are read as that tool reads them:
/// <list type="bullet">
/// <item>diesel, <c>__diesel_schema_migrations(version, run_on)</c>: a row per applied migration (diesel has no failed state: a failed migration leaves no row).</item>
/// <item>golang-migrate, <c>schema_migrations(version bigint, dirty boolean)</c>: one row, the latest version, every file up to it applied; dirty is refused.</item>
/// <item>Flyway, <c>flyway_schema_history</c>: by installed_rank, the last row of each version decides (an undo or a repair's delete unapplies it); a <c>BASELINE</c> row counts every version up to it as applied, as Flyway does; repeatable migrations (no version) and the schema-creation row are not migrations of the catalog and are skipped; any <c>success = false</c> row is refused.</item>
/// <item>dbmate, <c>schema_migrations(version varchar)</c>: a row per applied migration.</item>
/// <item>goose, <c>goose_db_version(id, version_id, is_applied, tstamp)</c>: by id, the latest row of each version_id decides; version 0 is goose's own first row, not a migration.</item>
/// <item>sqlx, <c>_sqlx_migrations(version, …, success, checksum, …)</c>: a row per applied migration; <c>success = false</c> (a dirty migration) is refused.</item>
/// </list>
/// </summary>
internal sealed class ForeignHistory
{
    /// <summary>The tools whose history can be read, as <c>import --from</c> names them.</summary>
    public static readonly IReadOnlyList<string> Tools = ["diesel", "golang-migrate", "flyway", "dbmate", "goose", "sqlx"];

    private ForeignHistory(string tool, string displayName, string defaultTable, string[] requiredColumns, string[] foreignColumns, VersionKind kind, string select)
    {
        Tool = tool;
        DisplayName = displayName;
        DefaultTable = defaultTable;
        RequiredColumns = requiredColumns;
        ForeignColumns = foreignColumns;
        Kind = kind;
        Select = select;
    }

    private enum VersionKind
    {
        /// <summary>Compared as written (diesel's digits without dashes, dbmate's digits).</summary>
        Text,

        /// <summary>A whole number (golang-migrate, goose, sqlx): 0001 is 1.</summary>
        Number,

        /// <summary>Flyway's dotted version: compared part by part as numbers, 1.0 is 1, underscores are dots.</summary>
        Dotted,
    }

    /// <summary>The tool, as <c>import --from</c> names it.</summary>
    public string Tool { get; }

    /// <summary>How messages name the tool.</summary>
    public string DisplayName { get; }

    /// <summary>The table the tool keeps unless configured otherwise, found through the connection's search_path.</summary>
    public string DefaultTable { get; }

    private string[] RequiredColumns { get; }

    /// <summary>Columns that say the table belongs to another tool (dbmate's and golang-migrate's tables share a name).</summary>
    private string[] ForeignColumns { get; }

    private VersionKind Kind { get; }

    /// <summary>The rows as (version, ok, type, ordinal), with <c>{0}</c> for the table.</summary>
    private string Select { get; }

    /// <summary>The reader for a tool; null for a tool it does not know.</summary>
    public static ForeignHistory? For(string tool) => tool switch
    {
        "diesel" => new("diesel", "diesel", "__diesel_schema_migrations", ["version", "run_on"], [], VersionKind.Text,
            "SELECT version::text, true, NULL::text, 0::bigint FROM {0} ORDER BY version"),
        "golang-migrate" => new("golang-migrate", "golang-migrate", "schema_migrations", ["version", "dirty"], [], VersionKind.Number,
            "SELECT version::text, NOT dirty, NULL::text, 0::bigint FROM {0}"),
        "flyway" => new("flyway", "Flyway", "flyway_schema_history", ["installed_rank", "version", "type", "success"], [], VersionKind.Dotted,
            "SELECT version::text, success, type::text, installed_rank::bigint FROM {0} ORDER BY installed_rank"),
        "dbmate" => new("dbmate", "dbmate", "schema_migrations", ["version"], ["dirty", "checksum", "applied_at"], VersionKind.Text,
            "SELECT version::text, true, NULL::text, 0::bigint FROM {0} ORDER BY version"),
        "goose" => new("goose", "goose", "goose_db_version", ["id", "version_id", "is_applied"], [], VersionKind.Number,
            "SELECT version_id::text, is_applied, NULL::text, id::bigint FROM {0} ORDER BY id"),
        "sqlx" => new("sqlx", "sqlx", "_sqlx_migrations", ["version", "success"], [], VersionKind.Number,
            "SELECT version::text, success, NULL::text, 0::bigint FROM {0} ORDER BY version"),
        _ => null,
    };

    /// <summary>
    /// Finds the table (by <paramref name="table"/>, or the tool's default name through the search_path), checks that it
    /// has this tool's layout, and reads its rows: two round trips, each starting with the lock's guard.
    /// </summary>
    /// <exception cref="BaselineRefusedException">No such table, or one of another layout.</exception>
    public async Task<ForeignTable> ReadAsync(NpgsqlConnection connection, MigrationLock guard, string? table, int timeout, CancellationToken cancellationToken)
    {
        var text = table ?? DefaultTable;
        if (!HistoryTable.TryParseName(text, out var schema, out var name))
        {
            throw new ArgumentException($"'{text}' is not a table name: write name or schema.name, e.g. {DefaultTable} or ops.{DefaultTable}.", nameof(table));
        }

        var target = schema is null ? HistoryTable.Quote(name) : HistoryTable.Quote(schema) + "." + HistoryTable.Quote(name);
        var located = $"""
            SELECT n.nspname,
                   (SELECT string_agg(a.attname || ' ' || pg_catalog.format_type(a.atttypid, a.atttypmod), ', ' ORDER BY a.attnum)
                      FROM pg_catalog.pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped)
              FROM (SELECT to_regclass({HistoryTable.Literal(target)}) AS oid) r
              LEFT JOIN pg_catalog.pg_class c ON c.oid = r.oid
              LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            """;
        string? foundSchema = null;
        var columns = string.Empty;
        await ReadGuardedAsync(
            connection,
            guard,
            located,
            timeout,
            async reader =>
            {
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                foundSchema = reader.IsDBNull(0) ? null : reader.GetString(0);
                columns = reader.IsDBNull(1) ? string.Empty : reader.GetString(1);
            },
            cancellationToken).ConfigureAwait(false);

        if (foundSchema is null)
        {
            throw new BaselineRefusedException(
                $"Found no {DisplayName} history table {text} in this database{(schema is null ? " (looked up through the connection's search_path)" : string.Empty)}: is it the database {DisplayName} migrated? " +
                $"If {DisplayName} was configured with another table or schema, name it (the CLI's --from-table, e.g. --from-table ops.{DefaultTable}). Nothing was changed.",
                BaselineRefusal.ForeignHistoryUnreadable,
                tool: Tool);
        }

        var found = new ForeignTable(foundSchema, name, []);
        var names = columns.Split(", ").Select(c => c.Split(' ', 2)[0]).ToHashSet(StringComparer.Ordinal);
        if (!RequiredColumns.All(names.Contains) || ForeignColumns.Any(names.Contains))
        {
            throw new BaselineRefusedException(
                $"{found.Display} is not {DisplayName}'s history table: it has ({columns}), which looks like {HistoryTable.GuessTool(columns)}, and {DisplayName}'s has {string.Join(", ", RequiredColumns)}. " +
                $"Name the tool that wrote it, or {DisplayName}'s own table (the CLI's --from-table). Nothing was changed.",
                BaselineRefusal.ForeignHistoryUnreadable,
                tool: Tool);
        }

        var rows = new List<ForeignRow>();
        await ReadGuardedAsync(
            connection,
            guard,
            string.Format(CultureInfo.InvariantCulture, Select, found.Sql),
            timeout,
            async reader =>
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    rows.Add(new ForeignRow(reader.IsDBNull(0) ? null : reader.GetString(0), !reader.IsDBNull(1) && reader.GetBoolean(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetInt64(3)));
                }
            },
            cancellationToken).ConfigureAwait(false);

        return found with { Rows = rows };
    }

    /// <summary>
    /// The migrations of <paramref name="catalog"/> that the tool applied, which must be its first ones in order; refused
    /// (with nothing sent) on a dirty or failed state, on nothing applied, on versions no migration was imported from, and
    /// on an applied set with gaps.
    /// </summary>
    /// <exception cref="BaselineRefusedException">The history cannot be baselined; the message says why and what to do.</exception>
    public IReadOnlyList<Migration> Applied(MigrationCatalog catalog, ForeignTable table)
    {
        var (applied, upTo) = Interpret(table);
        var imported = catalog.Migrations.Where(m => m.ImportedFrom is { } origin && origin.Tool == Tool).ToList();
        if (imported.Count == 0)
        {
            throw new BaselineRefusedException(
                $"No migration here was imported from {DisplayName} (none has a '-- Imported-From: {Tool} <version>' header), so none can be matched to what {table.Display} records. " +
                $"baseline --from-history matches the tool's rows to the files referralos-db import --from {Tool} wrote: import the tool's folder first, or name the execution folder that holds them. Nothing was changed.",
                BaselineRefusal.ForeignHistoryUnmatched,
                tool: Tool);
        }

        var byKey = imported.GroupBy(m => Key(m.ImportedFrom!.Version), StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var unmatched = applied.Where(v => !byKey.ContainsKey(Key(v))).ToList();
        if (upTo is { MustMatch: true } && !byKey.ContainsKey(Key(upTo.Version)))
        {
            unmatched.Insert(0, upTo.Version);
        }

        if (unmatched.Count > 0)
        {
            throw new BaselineRefusedException(
                $"{table.Display} records {DisplayName} version{(unmatched.Count == 1 ? string.Empty : "s")} {List(unmatched)}, which no migration here was imported from (no '-- Imported-From: {Tool} <version>' header names {(unmatched.Count == 1 ? "it" : "them")}): " +
                $"this execution folder lacks files {DisplayName} applied, or it was not imported from this database's migrations. Import {DisplayName}'s complete folder, or baseline --to the last migration both have. Nothing was changed.",
                BaselineRefusal.ForeignHistoryUnmatched,
                unmatched,
                Tool);
        }

        var done = applied.Select(v => byKey[Key(v)]).ToHashSet();
        if (upTo is not null)
        {
            done.UnionWith(imported.Where(m => Compare(Key(m.ImportedFrom!.Version), Key(upTo.Version)) <= 0));
        }

        if (done.Count == 0)
        {
            throw new BaselineRefusedException(
                $"{table.Display} records no applied {DisplayName} migration, so there is nothing to baseline. If the database is new, run migrate, which applies every migration. Nothing was changed.",
                BaselineRefusal.NothingApplied,
                tool: Tool);
        }

        var last = catalog.Migrations.Last(done.Contains);
        var missing = catalog.Migrations.Where(m => m.Number < last.Number && !done.Contains(m)).ToList();
        if (missing.Count > 0)
        {
            throw new BaselineRefusedException(
                $"{DisplayName} applied {last.Version} ({Tool} {last.ImportedFrom!.Version}) but not {List(missing.Select(Describe).ToList())} below it, as {table.Display} records: " +
                "a baseline records the first migrations in order, and migrate never runs one below an applied migration. " +
                $"Apply the missing migration{(missing.Count == 1 ? string.Empty : "s")} with {DisplayName} first (or by hand, if {DisplayName} skipped {(missing.Count == 1 ? "it" : "them")} on purpose), then baseline again. Nothing was changed.",
                BaselineRefusal.ForeignHistoryNotAPrefix,
                missing.Select(m => m.Version).ToArray(),
                Tool);
        }

        return catalog.Migrations.Where(m => m.Number <= last.Number).ToArray();
    }

    /// <summary>The versions listed in a message: the first ten, then how many more.</summary>
    public static string List(IReadOnlyList<string> versions) =>
        versions.Count <= 10 ? string.Join(", ", versions) : string.Join(", ", versions.Take(10)) + $" and {versions.Count - 10} more";

    /// <summary>One round trip that starts with the lock's guard, so that it fails on any backend but the one holding the lock.</summary>
    private static async Task ReadGuardedAsync(NpgsqlConnection connection, MigrationLock guard, string sql, int timeout, Func<NpgsqlDataReader, Task> read, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection) { Timeout = timeout };
        batch.BatchCommands.Add(new NpgsqlBatchCommand(guard.Guard));
        batch.BatchCommands.Add(new NpgsqlBatchCommand(sql));
        try
        {
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            await read(reader).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (MigrationLock.IsGuardFailure(ex))
        {
            throw await guard.MovedAsync("reading another tool's history").ConfigureAwait(false);
        }
    }

    private static string Describe(Migration migration) =>
        migration.ImportedFrom is { } origin ? $"{migration.Version} ({origin})" : migration.Version;

    /// <summary>The versions the rows say are applied, and the version up to which every one is (golang-migrate's, a Flyway baseline's).</summary>
    private (IReadOnlyList<string> Applied, UpTo? UpTo) Interpret(ForeignTable table) => Tool switch
    {
        "golang-migrate" => GolangMigrate(table),
        "flyway" => Flyway(table),
        "goose" => (Goose(table), null),
        "sqlx" => (Sqlx(table), null),
        _ => (table.Rows.Where(r => r.Version is not null).Select(r => r.Version!).ToArray(), null),
    };

    /// <summary>golang-migrate's one row: every file up to its version is applied; dirty is refused.</summary>
    private (IReadOnlyList<string> Applied, UpTo? UpTo) GolangMigrate(ForeignTable table)
    {
        if (table.Rows.Count > 1)
        {
            throw new BaselineRefusedException(
                $"{table.Display} holds {table.Rows.Count} rows, and golang-migrate keeps exactly one (its current version): the table was written by hand or by another tool. Leave one row, the version golang-migrate last applied, then baseline again. Nothing was changed.",
                BaselineRefusal.ForeignHistoryUnreadable,
                tool: Tool);
        }

        if (table.Rows is [{ Ok: false } dirty])
        {
            throw new BaselineRefusedException(
                $"golang-migrate's {table.Display} records version {dirty.Version} as dirty: that migration failed part-way, so the database is in a state no file describes, and golang-migrate itself refuses to go on. " +
                "Find what the migration did, finish or undo it by hand, mark the version clean with 'migrate force <version>', then baseline again. Nothing was changed.",
                BaselineRefusal.ForeignHistoryFailed,
                [dirty.Version ?? string.Empty],
                Tool);
        }

        // No row, or golang-migrate's NilVersion (-1) after reverting everything: nothing is applied.
        return table.Rows is [{ Version: { } version }] && !version.StartsWith('-')
            ? ([], new UpTo(version, MustMatch: true))
            : ([], null);
    }

    /// <summary>Flyway's rows by installed_rank: the last of each version decides; a baseline row covers every version up to it.</summary>
    private (IReadOnlyList<string> Applied, UpTo? UpTo) Flyway(ForeignTable table)
    {
        if (table.Rows.FirstOrDefault(r => !r.Ok) is { } failed)
        {
            throw new BaselineRefusedException(
                $"Flyway's {table.Display} records a failed migration (installed_rank {failed.Ordinal}, version {failed.Version ?? "none"}, type {failed.Kind}, success = false): the database is in a state no file describes, and Flyway itself refuses to migrate until it is repaired. " +
                "Finish or undo what the migration did by hand, run 'flyway repair' (it removes the failed row), then baseline again. Nothing was changed.",
                BaselineRefusal.ForeignHistoryFailed,
                [failed.Version ?? string.Empty],
                Tool);
        }

        var state = new Dictionary<string, (string Version, bool Applied)>(StringComparer.Ordinal);
        UpTo? baseline = null;
        foreach (var row in table.Rows)
        {
            if (row.Version is null || row.Kind is "SCHEMA")
            {
                // A repeatable migration (no version), or the row that records Flyway creating the schema.
                continue;
            }

            if (row.Kind is "BASELINE" or "SQL_BASELINE")
            {
                if (baseline is null || Compare(Key(row.Version), Key(baseline.Version)) > 0)
                {
                    baseline = new UpTo(row.Version, MustMatch: false);
                }

                continue;
            }

            var undone = row.Kind is "DELETE" || row.Kind?.StartsWith("UNDO", StringComparison.Ordinal) == true;
            state[Key(row.Version)] = (row.Version, !undone);
        }

        return (state.Values.Where(s => s.Applied).Select(s => s.Version).ToArray(), baseline);
    }

    /// <summary>goose's rows by id: the latest of each version_id decides; version 0 is goose's own first row.</summary>
    private string[] Goose(ForeignTable table)
    {
        var state = new Dictionary<string, (string Version, bool Applied)>(StringComparer.Ordinal);
        foreach (var row in table.Rows.Where(r => r.Version is not null && Key(r.Version) != "0"))
        {
            state[Key(row.Version!)] = (row.Version!, row.Ok);
        }

        return state.Values.Where(s => s.Applied).Select(s => s.Version).ToArray();
    }

    /// <summary>sqlx's rows: every one applied, a failed (dirty) one refused.</summary>
    private string[] Sqlx(ForeignTable table)
    {
        if (table.Rows.FirstOrDefault(r => !r.Ok) is { } failed)
        {
            throw new BaselineRefusedException(
                $"sqlx's {table.Display} records version {failed.Version} with success = false: it failed part-way (a dirty migration, which 'sqlx migrate run' refuses too), so the database is in a state no file describes. " +
                "Finish or undo what it did by hand, delete that row, then baseline again. Nothing was changed.",
                BaselineRefusal.ForeignHistoryFailed,
                [failed.Version ?? string.Empty],
                Tool);
        }

        return table.Rows.Where(r => r.Version is not null).Select(r => r.Version!).ToArray();
    }

    /// <summary>A version as this tool compares them: 0001 and 1 are one number; Flyway's 1.0, 1_0 and 1 are one version.</summary>
    private string Key(string version)
    {
        switch (Kind)
        {
            case VersionKind.Number when BigInteger.TryParse(version, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number):
                return number.ToString(CultureInfo.InvariantCulture);
            case VersionKind.Dotted when Parts(version) is { } parts:
                return string.Join('.', parts.Select(p => p.ToString(CultureInfo.InvariantCulture)));
            default:
                return version;
        }
    }

    /// <summary>Orders two <see cref="Key"/>s as the tool orders versions.</summary>
    private int Compare(string left, string right)
    {
        if (Kind == VersionKind.Number && BigInteger.TryParse(left, CultureInfo.InvariantCulture, out var a) && BigInteger.TryParse(right, CultureInfo.InvariantCulture, out var b))
        {
            return a.CompareTo(b);
        }

        if (Kind == VersionKind.Dotted && Parts(left) is { } l && Parts(right) is { } r)
        {
            for (var i = 0; i < Math.Max(l.Count, r.Count); i++)
            {
                var compared = (i < l.Count ? l[i] : BigInteger.Zero).CompareTo(i < r.Count ? r[i] : BigInteger.Zero);
                if (compared != 0)
                {
                    return compared;
                }
            }

            return 0;
        }

        return string.CompareOrdinal(left, right);
    }

    /// <summary>A Flyway version's parts, trailing zero parts dropped; null when a part is not a number.</summary>
    private static List<BigInteger>? Parts(string version)
    {
        var parts = new List<BigInteger>();
        foreach (var part in version.Replace('_', '.').Split('.'))
        {
            if (!BigInteger.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                return null;
            }

            parts.Add(number);
        }

        while (parts.Count > 1 && parts[^1].IsZero)
        {
            parts.RemoveAt(parts.Count - 1);
        }

        return parts;
    }

    /// <summary>Every version up to this one is applied; <see cref="MustMatch"/> when the catalog must have this very version.</summary>
    private sealed record UpTo(string Version, bool MustMatch);
}

/// <summary>One row of another tool's history, as <see cref="ForeignHistory"/> reads it: the version, whether it says applied (not dirty, not failed), Flyway's type, and its order.</summary>
internal sealed record ForeignRow(string? Version, bool Ok, string? Kind, long Ordinal);

/// <summary>Another tool's history table, found: its schema, its name and its rows.</summary>
internal sealed record ForeignTable(string Schema, string Name, IReadOnlyList<ForeignRow> Rows)
{
    /// <summary>How messages name it: <c>public.schema_migrations</c>.</summary>
    public string Display => Schema + "." + Name;

    /// <summary>The table as SQL, quoted and schema-qualified.</summary>
    public string Sql => HistoryTable.Quote(Schema) + "." + HistoryTable.Quote(Name);
}
