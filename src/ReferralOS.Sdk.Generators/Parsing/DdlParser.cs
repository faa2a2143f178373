using System.Text;
using ReferralOS.Sdk.Generators.Sql;

namespace ReferralOS.Sdk.Generators.Parsing;

/// <summary>
/// Reads the shape of the DDL statements the rules care about from a statement's tokens: CREATE TABLE/INDEX/VIEW,
/// ALTER TABLE and its actions, DROP, REINDEX, INSERT, SET, COMMENT ON, and statements that lock tables. It is
/// a recogniser, not a full grammar: anything it does not recognise is an <see cref="OtherStatement"/>, and it
/// never throws. Table names are read as keys against the search path in effect (<see cref="SearchPath"/>).
/// </summary>
internal sealed class DdlParser
{
    private static readonly HashSet<string> TableConstraintWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN", "EXCLUDE",
    };

    private static readonly HashSet<string> ColumnConstraintWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "NOT", "NULL", "DEFAULT", "PRIMARY", "UNIQUE", "REFERENCES", "CHECK", "CONSTRAINT", "GENERATED", "COLLATE", "COMPRESSION", "STORAGE",
    };

    /// <summary>What may follow the new type of ALTER COLUMN … TYPE.</summary>
    private static readonly HashSet<string> TypeChangeClauseWords = new(StringComparer.OrdinalIgnoreCase) { "USING", "COLLATE" };

    private static readonly HashSet<string> SerialTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        "serial", "serial2", "serial4", "serial8", "smallserial", "bigserial",
    };

    private readonly SearchPath _path;

    private DdlParser(SearchPath path) => _path = path;

    public static DdlStatement Parse(SqlStatement s) => Parse(s, SearchPath.Default);

    /// <summary>Reads one statement, resolving unqualified table names against <paramref name="path"/>.</summary>
    public static DdlStatement Parse(SqlStatement s, SearchPath path) => new DdlParser(path).ParseStatement(s);

    private DdlStatement ParseStatement(SqlStatement s)
    {
        if (s.IsWord(0, "CREATE"))
        {
            return ParseCreate(s) ?? new OtherStatement(s);
        }

        if (s.IsWord(0, "ALTER") && s.IsWord(1, "TABLE"))
        {
            return ParseAlterTable(s) ?? (DdlStatement)new OtherStatement(s);
        }

        if (s.IsWord(0, "DROP"))
        {
            return ParseDrop(s) ?? new OtherStatement(s);
        }

        if (s.IsWord(0, "INSERT") && s.IsWord(1, "INTO"))
        {
            return ParseInsert(s) ?? (DdlStatement)new OtherStatement(s);
        }

        if (s.IsWord(0, "SET") || s.IsWord(0, "RESET") || s.IsWord(0, "SELECT"))
        {
            return SessionSettingReader.Read(s) ?? (DdlStatement)new OtherStatement(s);
        }

        if (s.IsWord(0, "COMMENT") && s.IsWord(1, "ON"))
        {
            return ParseComment(s) ?? (DdlStatement)new OtherStatement(s);
        }

        if (s.IsWord(0, "REINDEX"))
        {
            return ParseReindex(s);
        }

        return ParseTableLock(s) ?? (DdlStatement)new OtherStatement(s);
    }

    private DdlStatement? ParseCreate(SqlStatement s)
    {
        var i = 1;
        if (s.IsWord(i, "OR") && s.IsWord(i + 1, "REPLACE"))
        {
            i += 2;
        }

        while (s.IsWord(i, "GLOBAL") || s.IsWord(i, "LOCAL") || s.IsWord(i, "TEMP") || s.IsWord(i, "TEMPORARY") || s.IsWord(i, "UNLOGGED") ||
               s.IsWord(i, "MATERIALIZED") || s.IsWord(i, "RECURSIVE"))
        {
            i++;
        }

        if (s.IsWord(i, "TABLE"))
        {
            return ParseCreateTable(s, i + 1);
        }

        if (s.IsWord(i, "VIEW"))
        {
            i++;
            SkipIfNotExists(s, ref i);
            var view = ReadTable(s, ref i);
            return view is null ? null : new CreateTableStatement(s, new TokenRange(0, view.Range.Last), view, Array.Empty<ColumnDefinitionClause>(), ColumnsKnown: false, Array.Empty<ConstraintClause>(), null);
        }

        if (s.IsWord(i, "UNIQUE"))
        {
            i++;
        }

        if (s.IsWord(i, "INDEX"))
        {
            return ParseCreateIndex(s, i + 1);
        }

        if (s.IsWord(i, "CONSTRAINT"))
        {
            i++;
        }

        if (s.IsWord(i, "RULE"))
        {
            // CREATE RULE name AS ON event TO table: the table follows TO, ON names the event.
            var on = FindWord(s, i, "ON");
            var at = on + 3;
            var table = on < 0 || !s.IsWord(on + 2, "TO") ? null : ReadTable(s, ref at);
            return table is null ? null : new TableLockStatement(s, new TokenRange(0, table.Range.Last), new[] { table });
        }

        if (s.IsWord(i, "TRIGGER") || s.IsWord(i, "POLICY"))
        {
            var on = FindWord(s, i, "ON");
            var at = on + 1;
            var table = on < 0 ? null : ReadTable(s, ref at);
            return table is null ? null : new TableLockStatement(s, new TokenRange(0, table.Range.Last), new[] { table });
        }

        if (s.IsWord(i, "SCHEMA"))
        {
            return ParseCreateSchema(s, i + 1);
        }

        return null;
    }

    /// <summary>
    /// CREATE SCHEMA [IF NOT EXISTS] {name [AUTHORIZATION role] | AUTHORIZATION role} [element …]: the elements (CREATE
    /// TABLE, VIEW, INDEX, SEQUENCE, TRIGGER, GRANT) are statements of their own whose unqualified names are in the schema.
    /// </summary>
    private static CreateSchemaStatement? ParseCreateSchema(SqlStatement s, int i)
    {
        SkipIfNotExists(s, ref i);
        string? schema = null;
        if (!s.IsWord(i, "AUTHORIZATION") && i < s.Tokens.Count && SqlIdentifier.IsName(s.Tokens[i]))
        {
            schema = Name(s, i);
            i++;
        }

        if (s.IsWord(i, "AUTHORIZATION") && i + 1 < s.Tokens.Count && SqlIdentifier.IsName(s.Tokens[i + 1]))
        {
            schema ??= Name(s, i + 1);
            i += 2;
        }

        if (schema is null)
        {
            return null;
        }

        var lead = new TokenRange(0, i - 1);
        var elements = new List<DdlStatement>();
        var depth = 0;
        var start = -1;
        for (var t = i; t <= s.Tokens.Count; t++)
        {
            var boundary = t == s.Tokens.Count || (depth == 0 && (s.IsWord(t, "CREATE") || s.IsWord(t, "GRANT")));
            if (boundary && start >= 0)
            {
                var element = new SqlStatement(s.Source, s.Tokens.Skip(start).Take(t - start).ToArray(), Array.Empty<SqlToken>()) { End = s.Tokens[t - 1].End };
                elements.Add(Parse(element, SearchPath.Only(schema)));
            }

            if (t == s.Tokens.Count)
            {
                break;
            }

            start = boundary ? t : start;
            depth += Depth(s.Tokens[t]);
        }

        return new CreateSchemaStatement(s, lead, schema, elements);
    }

    private CreateTableStatement? ParseCreateTable(SqlStatement s, int i)
    {
        SkipIfNotExists(s, ref i);
        var table = ReadTable(s, ref i);
        if (table is null)
        {
            return null;
        }

        var lead = new TokenRange(0, table.Range.Last);
        if (!Is(s, i, SqlTokenKind.OpenParen))
        {
            // PARTITION OF, OF type, AS query: the columns come from elsewhere.
            return new CreateTableStatement(s, lead, table, Array.Empty<ColumnDefinitionClause>(), ColumnsKnown: false, Array.Empty<ConstraintClause>(), null);
        }

        var columns = new List<ColumnDefinitionClause>();
        var constraints = new List<ConstraintClause>();
        NameRef? like = null;
        foreach (var element in Elements(s, i))
        {
            if (element.Count == 0)
            {
                continue;
            }

            if (s.IsWord(element[0], "LIKE"))
            {
                var at = element[0] + 1;
                like = ReadTable(s, ref at);
            }
            else if (IsWordIn(s, element[0], TableConstraintWords))
            {
                if (ReadConstraint(s, element, 0) is { } constraint)
                {
                    constraints.Add(constraint);
                }
            }
            else if (ReadColumn(s, element, 0) is { } column)
            {
                columns.Add(column);
            }
        }

        return new CreateTableStatement(s, lead, table, columns, ColumnsKnown: like is null, constraints, like);
    }

    private CreateIndexStatement? ParseCreateIndex(SqlStatement s, int i)
    {
        var concurrently = false;
        if (s.IsWord(i, "CONCURRENTLY"))
        {
            concurrently = true;
            i++;
        }

        SkipIfNotExists(s, ref i);
        string? name = null;
        if (!s.IsWord(i, "ON"))
        {
            name = ReadName(s, ref i)?.Name;
        }

        if (!s.IsWord(i, "ON"))
        {
            return null;
        }

        i++;
        if (s.IsWord(i, "ONLY"))
        {
            i++;
        }

        var table = ReadTable(s, ref i);
        if (table is null)
        {
            return null;
        }

        var lead = new TokenRange(0, table.Range.Last);
        if (s.IsWord(i, "USING"))
        {
            i += 2;
        }

        var columns = new List<NameRef>();
        if (Is(s, i, SqlTokenKind.OpenParen))
        {
            foreach (var element in Elements(s, i))
            {
                if (element.Count > 0 && SqlIdentifier.IsName(s.Tokens[element[0]]) &&
                    (element.Count == 1 || s.Tokens[element[1]].Kind == SqlTokenKind.Word))
                {
                    columns.Add(new NameRef(Name(s, element[0]), TokenRange.Of(element[0])));
                }
            }
        }

        return new CreateIndexStatement(s, lead, table, name, concurrently, columns);
    }

    private AlterTableStatement? ParseAlterTable(SqlStatement s)
    {
        var i = 2;
        var ifExists = false;
        if (s.IsWord(i, "IF") && s.IsWord(i + 1, "EXISTS"))
        {
            ifExists = true;
            i += 2;
        }

        if (s.IsWord(i, "ONLY"))
        {
            i++;
        }

        var table = ReadTable(s, ref i);
        if (table is null)
        {
            return null;
        }

        if (i < s.Tokens.Count && s.TokenText(i) == "*")
        {
            i++;
        }

        // A renamed table stays in its schema; SET SCHEMA moves it under its own name.
        var schema = SchemaOf(table.Name);
        var bare = Name(s, table.Range.Last);
        var actions = Split(s, i, s.Tokens.Count).Where(a => a.Count > 0).Select(a => ReadAction(s, a)).Select(a => a.Kind switch
        {
            AlterActionKind.RenameTable when a.NewName is { } newName => a with { NewName = SearchPath.Key(schema, newName) },
            AlterActionKind.SetSchema when a.NewName is { } newSchema => a with { NewName = SearchPath.Key(newSchema, bare) },
            _ => a,
        }).ToList();
        return new AlterTableStatement(s, new TokenRange(0, table.Range.Last), table, ifExists, actions);
    }

    private AlterAction ReadAction(SqlStatement s, List<int> a)
    {
        var range = new TokenRange(a[0], a[a.Count - 1]);
        bool At(int k, string word) => k < a.Count && s.IsWord(a[k], word);
        NameRef? NameAt(int k) => k < a.Count && SqlIdentifier.IsName(s.Tokens[a[k]]) ? new NameRef(Name(s, a[k]), TokenRange.Of(a[k])) : null;

        if (At(0, "ADD"))
        {
            var k = 1;
            if (At(k, "COLUMN"))
            {
                k++;
            }
            else if (k < a.Count && IsWordIn(s, a[k], TableConstraintWords))
            {
                var constraint = ReadConstraint(s, a, k);
                return constraint is null ? new AlterAction(AlterActionKind.Other, range) : new AlterAction(AlterActionKind.AddConstraint, range, Constraint: constraint);
            }

            if (At(k, "IF") && At(k + 1, "NOT") && At(k + 2, "EXISTS"))
            {
                k += 3;
            }

            var column = ReadColumn(s, a, k);
            return column is null ? new AlterAction(AlterActionKind.Other, range) : new AlterAction(AlterActionKind.AddColumn, range, column.Name, column);
        }

        if (At(0, "DROP") && !At(1, "CONSTRAINT"))
        {
            var k = At(1, "COLUMN") ? 2 : 1;
            if (At(k, "IF") && At(k + 1, "EXISTS"))
            {
                k += 2;
            }

            return NameAt(k) is { } dropped && !At(1, "DEFAULT") && !At(1, "NOT") && !At(1, "EXPRESSION") && !At(1, "IDENTITY")
                ? new AlterAction(AlterActionKind.DropColumn, range, dropped)
                : new AlterAction(AlterActionKind.Other, range);
        }

        if (At(0, "RENAME"))
        {
            if (At(1, "TO"))
            {
                return new AlterAction(AlterActionKind.RenameTable, range, NewName: NameAt(2)?.Name);
            }

            if (At(1, "CONSTRAINT"))
            {
                return new AlterAction(AlterActionKind.Other, range);
            }

            var k = At(1, "COLUMN") ? 2 : 1;
            return NameAt(k) is { } old && At(k + 1, "TO")
                ? new AlterAction(AlterActionKind.RenameColumn, range, old, NewName: NameAt(k + 2)?.Name)
                : new AlterAction(AlterActionKind.Other, range);
        }

        if (At(0, "ALTER"))
        {
            var k = At(1, "COLUMN") ? 2 : 1;
            var column = NameAt(k);
            if (column is not null && (At(k + 1, "TYPE") || (At(k + 1, "SET") && At(k + 2, "DATA") && At(k + 3, "TYPE"))))
            {
                var p = At(k + 1, "TYPE") ? k + 2 : k + 4;
                var newType = ReadType(s, a, ref p, TypeChangeClauseWords);
                return new AlterAction(AlterActionKind.AlterColumnType, range, column, NewType: newType.Length == 0 ? null : newType, NewTypeClause: p < a.Count);
            }

            if (column is not null && At(k + 1, "SET") && At(k + 2, "NOT") && At(k + 3, "NULL"))
            {
                return new AlterAction(AlterActionKind.SetNotNull, range, column);
            }

            return new AlterAction(AlterActionKind.Other, range, column);
        }

        if (At(0, "SET") && At(1, "SCHEMA") && NameAt(2) is { } newSchema)
        {
            return new AlterAction(AlterActionKind.SetSchema, range, NewName: newSchema.Name);
        }

        if (At(0, "VALIDATE") && At(1, "CONSTRAINT") && NameAt(2) is { } validated)
        {
            return new AlterAction(AlterActionKind.ValidateConstraint, range, ConstraintName: validated.Name);
        }

        return new AlterAction(AlterActionKind.Other, range);
    }

    /// <summary>Reads a table constraint, or an ALTER TABLE … ADD constraint, from element position <paramref name="k"/>.</summary>
    private ConstraintClause? ReadConstraint(SqlStatement s, List<int> e, int k)
    {
        bool At(int p, string word) => p < e.Count && s.IsWord(e[p], word);
        string? name = null;
        if (At(k, "CONSTRAINT"))
        {
            name = k + 1 < e.Count ? Name(s, e[k + 1]) : null;
            k += 2;
        }

        var range = new TokenRange(e[0], e[e.Count - 1]);
        var notValid = false;
        for (var p = k; p + 1 < e.Count; p++)
        {
            notValid |= s.IsWord(e[p], "NOT") && s.IsWord(e[p + 1], "VALID");
        }

        var usingIndex = false;
        for (var p = k; p + 1 < e.Count; p++)
        {
            usingIndex |= s.IsWord(e[p], "USING") && s.IsWord(e[p + 1], "INDEX");
        }

        if (At(k, "CHECK"))
        {
            return new ConstraintClause(ConstraintKind.Check, name, range, notValid, false, null, Array.Empty<NameRef>(), Array.Empty<NameRef>(), NotNullCheckColumn(s, e, k + 1));
        }

        if (At(k, "UNIQUE") || (At(k, "PRIMARY") && At(k + 1, "KEY")))
        {
            var kind = At(k, "UNIQUE") ? ConstraintKind.Unique : ConstraintKind.PrimaryKey;
            var open = NextParen(s, e, k);
            return new ConstraintClause(kind, name, range, notValid, usingIndex, null, Array.Empty<NameRef>(), open < 0 ? Array.Empty<NameRef>() : NameList(s, open), null);
        }

        if (At(k, "FOREIGN") && At(k + 1, "KEY"))
        {
            var open = NextParen(s, e, k);
            var columns = open < 0 ? Array.Empty<NameRef>() : NameList(s, open);
            var references = e.FindIndex(k, t => s.IsWord(t, "REFERENCES"));
            var (table, referenced) = references < 0 ? (null, Array.Empty<NameRef>()) : ReadReferences(s, e[references] + 1);
            return new ConstraintClause(ConstraintKind.ForeignKey, name, range, notValid, false, table, referenced, columns, null);
        }

        if (At(k, "EXCLUDE"))
        {
            return new ConstraintClause(ConstraintKind.Exclude, name, range, notValid, false, null, Array.Empty<NameRef>(), Array.Empty<NameRef>(), null);
        }

        if (At(k, "NOT") && At(k + 1, "NULL"))
        {
            return new ConstraintClause(ConstraintKind.NotNull, name, range, notValid, false, null, Array.Empty<NameRef>(), Array.Empty<NameRef>(), null);
        }

        return null;
    }

    /// <summary>Reads "name type [column constraints]" from element position <paramref name="k"/>.</summary>
    private ColumnDefinitionClause? ReadColumn(SqlStatement s, List<int> e, int k)
    {
        if (k >= e.Count || !SqlIdentifier.IsName(s.Tokens[e[k]]))
        {
            return null;
        }

        var name = new NameRef(Name(s, e[k]), TokenRange.Of(e[k]));
        var p = k + 1;
        var type = ReadType(s, e, ref p, ColumnConstraintWords);
        if (type.Length == 0)
        {
            return null;
        }

        var notNull = false;
        TokenRange? defaultRange = null;
        var identity = false;
        var stored = false;
        var constraints = new List<ConstraintClause>();
        string? constraintName = null;
        while (p < e.Count)
        {
            var start = p;
            bool At(int q, string word) => q < e.Count && s.IsWord(e[q], word);
            if (At(p, "CONSTRAINT"))
            {
                constraintName = p + 1 < e.Count ? Name(s, e[p + 1]) : null;
                p += 2;
                continue;
            }

            if (At(p, "NOT") && At(p + 1, "NULL"))
            {
                notNull = true;
                p += 2;
            }
            else if (At(p, "DEFAULT"))
            {
                p++;
                var first = p;
                p = ClauseEnd(s, e, p);
                if (p > first)
                {
                    defaultRange = new TokenRange(e[first], e[p - 1]);
                }
            }
            else if (At(p, "GENERATED"))
            {
                p = ClauseEnd(s, e, p + 1);
                for (var q = start; q < p; q++)
                {
                    identity |= s.IsWord(e[q], "IDENTITY");
                    stored |= s.IsWord(e[q], "STORED");
                }
            }
            else if (At(p, "REFERENCES"))
            {
                var (table, referenced) = ReadReferences(s, e[p] + 1);
                p = ClauseEnd(s, e, p + 1);
                constraints.Add(new ConstraintClause(ConstraintKind.ForeignKey, constraintName, new TokenRange(e[start], e[p - 1]), false, false, table, referenced, new[] { name }, null));
            }
            else if (At(p, "CHECK"))
            {
                var check = NotNullCheckColumn(s, e, p + 1);
                p = ClauseEnd(s, e, p + 1);
                constraints.Add(new ConstraintClause(ConstraintKind.Check, constraintName, new TokenRange(e[start], e[p - 1]), false, false, null, Array.Empty<NameRef>(), new[] { name }, check));
            }
            else if (At(p, "UNIQUE") || (At(p, "PRIMARY") && At(p + 1, "KEY")))
            {
                var kind = At(p, "UNIQUE") ? ConstraintKind.Unique : ConstraintKind.PrimaryKey;
                p = ClauseEnd(s, e, p + (kind == ConstraintKind.Unique ? 1 : 2));
                constraints.Add(new ConstraintClause(kind, constraintName, new TokenRange(e[start], e[p - 1]), false, false, null, Array.Empty<NameRef>(), new[] { name }, null));
                notNull |= kind == ConstraintKind.PrimaryKey;
            }
            else
            {
                p = ClauseEnd(s, e, p + 1);
            }

            constraintName = null;
        }

        var baseType = type.ToString();
        return new ColumnDefinitionClause(
            name,
            baseType,
            new TokenRange(e[k], e[e.Count - 1]),
            notNull,
            defaultRange,
            SerialTypes.Contains(baseType),
            identity,
            stored && !identity,
            constraints);
    }

    private DdlStatement? ParseDrop(SqlStatement s)
    {
        var i = 1;
        if (s.IsWord(i, "MATERIALIZED"))
        {
            i++;
        }

        if (i >= s.Tokens.Count || s.Tokens[i].Kind != SqlTokenKind.Word)
        {
            return null;
        }

        var kind = s.TokenText(i).ToUpperInvariant();
        i++;
        if (kind == "TRIGGER" || kind == "RULE" || kind == "POLICY")
        {
            var on = FindWord(s, i, "ON");
            var at = on + 1;
            var table = on < 0 ? null : ReadTable(s, ref at);
            return table is null ? null : new TableLockStatement(s, new TokenRange(0, table.Range.Last), new[] { table });
        }

        var concurrently = false;
        if (s.IsWord(i, "CONCURRENTLY"))
        {
            concurrently = true;
            i++;
        }

        var ifExists = false;
        if (s.IsWord(i, "IF") && s.IsWord(i + 1, "EXISTS"))
        {
            ifExists = true;
            i += 2;
        }

        var names = new List<NameRef>();
        var tables = kind is "TABLE" or "VIEW";
        while ((tables ? ReadTable(s, ref i) : ReadName(s, ref i)) is { } name)
        {
            names.Add(name);
            if (!Is(s, i, SqlTokenKind.Comma))
            {
                break;
            }

            i++;
        }

        if (names.Count == 0)
        {
            return null;
        }

        return new DropStatement(s, new TokenRange(0, names[names.Count - 1].Range.Last), kind, names, ifExists, concurrently);
    }

    private InsertStatement? ParseInsert(SqlStatement s)
    {
        var i = 2;
        var table = ReadTable(s, ref i);
        if (table is null)
        {
            return null;
        }

        if (s.IsWord(i, "AS"))
        {
            i += 2;
        }

        IReadOnlyList<NameRef> columns = Array.Empty<NameRef>();
        IReadOnlyList<IReadOnlyList<SeedValue>> rows = Array.Empty<IReadOnlyList<SeedValue>>();
        if (Is(s, i, SqlTokenKind.OpenParen))
        {
            var elements = Elements(s, i);
            columns = NameList(s, elements);

            // Rows are read when the list is of plain column names only, each value then belonging to its column.
            if (elements.Count > 0 && elements.All(e => e.Count == 1 && SqlIdentifier.IsName(s.Tokens[e[0]])))
            {
                rows = InsertRowReader.ReadRows(s, elements[elements.Count - 1][0] + 2, columns.Select(c => c.Name).ToList());
            }
        }

        var onConflict = false;
        var depth = 0;
        for (var t = i; t + 1 < s.Tokens.Count; t++)
        {
            depth += Depth(s.Tokens[t]);
            onConflict |= depth == 0 && s.IsWord(t, "ON") && s.IsWord(t + 1, "CONFLICT");
        }

        return new InsertStatement(s, new TokenRange(0, table.Range.Last), table, columns, onConflict, rows, InsertRowReader.ReadRowName(s));
    }

    private CommentStatement? ParseComment(SqlStatement s)
    {
        var i = 3;
        if (s.IsWord(2, "TABLE"))
        {
            var table = ReadTable(s, ref i);
            return table is null ? null : new CommentStatement(s, new TokenRange(0, table.Range.Last), table, null);
        }

        if (!s.IsWord(2, "COLUMN"))
        {
            return null;
        }

        // COLUMN [schema.]table.column: the last part is the column, the one before it the table.
        var parts = new List<int>();
        while (i < s.Tokens.Count && SqlIdentifier.IsName(s.Tokens[i]))
        {
            parts.Add(i);
            if (!Is(s, i + 1, SqlTokenKind.Dot))
            {
                break;
            }

            i += 2;
        }

        if (parts.Count < 2)
        {
            return null;
        }

        var tableIndex = parts[parts.Count - 2];
        var columnIndex = parts[parts.Count - 1];
        var tableSchema = parts.Count >= 3 ? Name(s, parts[parts.Count - 3]) : null;
        return new CommentStatement(
            s,
            new TokenRange(0, columnIndex),
            Table(tableSchema, Name(s, tableIndex), TokenRange.Of(tableIndex)),
            new NameRef(Name(s, columnIndex), TokenRange.Of(columnIndex)));
    }

    private ReindexStatement ParseReindex(SqlStatement s)
    {
        var i = 1;
        var concurrently = false;
        if (Is(s, i, SqlTokenKind.OpenParen))
        {
            var close = Close(s, i);
            for (var t = i; t < close; t++)
            {
                concurrently |= s.IsWord(t, "CONCURRENTLY");
            }

            i = close + 1;
        }

        var isTable = s.IsWord(i, "TABLE");
        i++;
        if (s.IsWord(i, "CONCURRENTLY"))
        {
            concurrently = true;
            i++;
        }

        var name = isTable ? ReadTable(s, ref i) : ReadName(s, ref i);
        return new ReindexStatement(s, new TokenRange(0, name?.Range.Last ?? Math.Min(i, s.Tokens.Count - 1)), concurrently, isTable ? name : null);
    }

    private TableLockStatement? ParseTableLock(SqlStatement s)
    {
        var i = 1;
        if (s.IsWord(0, "TRUNCATE") || s.IsWord(0, "LOCK"))
        {
            if (s.IsWord(i, "TABLE"))
            {
                i++;
            }
        }
        else if (s.IsWord(0, "VACUUM") && (s.IsWord(1, "FULL") || (Is(s, 1, SqlTokenKind.OpenParen) && FindWord(s, 1, "FULL") is > 0 and var full && full < Close(s, 1))))
        {
            i = s.IsWord(1, "FULL") ? 2 : Close(s, 1) + 1;
        }
        else if (s.IsWord(0, "CLUSTER"))
        {
            if (s.IsWord(i, "VERBOSE"))
            {
                i++;
            }
        }
        else
        {
            return null;
        }

        if (s.IsWord(i, "ONLY"))
        {
            i++;
        }

        var tables = new List<NameRef>();
        while (ReadTable(s, ref i) is { } table)
        {
            tables.Add(table);
            if (!Is(s, i, SqlTokenKind.Comma))
            {
                break;
            }

            i++;
        }

        return tables.Count == 0 ? null : new TableLockStatement(s, new TokenRange(0, tables[tables.Count - 1].Range.Last), tables);
    }

    /// <summary>REFERENCES table [(columns)] starting at the token after REFERENCES.</summary>
    private (NameRef? Table, IReadOnlyList<NameRef> Columns) ReadReferences(SqlStatement s, int i)
    {
        var table = ReadTable(s, ref i);
        return (table, table is not null && Is(s, i, SqlTokenKind.OpenParen) ? NameList(s, i) : Array.Empty<NameRef>());
    }

    /// <summary>The column of a CHECK whose expression is exactly <c>(column IS NOT NULL)</c>, or null.</summary>
    private static string? NotNullCheckColumn(SqlStatement s, List<int> e, int open)
    {
        if (open >= e.Count || s.Tokens[e[open]].Kind != SqlTokenKind.OpenParen || e[open] + 5 >= s.Tokens.Count)
        {
            return null;
        }

        var first = e[open];
        var close = Close(s, first);
        return close == first + 5 && SqlIdentifier.IsName(s.Tokens[first + 1]) && s.IsWord(first + 2, "IS") && s.IsWord(first + 3, "NOT") && s.IsWord(first + 4, "NULL")
            ? Name(s, first + 1)
            : null;
    }

    /// <summary>A table name, as its key under the search path, with the keys it may have where it already exists.</summary>
    private NameRef? ReadTable(SqlStatement s, ref int i)
    {
        var start = i;
        var name = SqlIdentifier.ReadQualifiedName(s, ref i, out var schema);
        return name is null ? null : Table(schema, name, new TokenRange(start, i - 1));
    }

    private NameRef Table(string? schema, string name, TokenRange range) =>
        new(_path.KeyFor(schema, name), range) { Candidates = _path.Candidates(schema, name), InSystemSchema = SearchPath.IsSystem(schema) };

    /// <summary>The schema part of a table key.</summary>
    private static string SchemaOf(string key) => key.IndexOf('.') is > 0 and var dot ? key.Substring(0, dot) : "public";

    private static NameRef? ReadName(SqlStatement s, ref int i)
    {
        var start = i;
        var name = SqlIdentifier.ReadQualifiedName(s, ref i);
        return name is null ? null : new NameRef(name, new TokenRange(start, i - 1));
    }

    private static void SkipIfNotExists(SqlStatement s, ref int i)
    {
        if (s.IsWord(i, "IF") && s.IsWord(i + 1, "NOT") && s.IsWord(i + 2, "EXISTS"))
        {
            i += 3;
        }
    }

    /// <summary>The plain names of a parenthesised list, e.g. (tenant_id, code); elements that are not one name are skipped.</summary>
    private static NameRef[] NameList(SqlStatement s, int open) => NameList(s, Elements(s, open));

    private static NameRef[] NameList(SqlStatement s, List<List<int>> elements) =>
        elements
            .Where(e => e.Count == 1 && SqlIdentifier.IsName(s.Tokens[e[0]]))
            .Select(e => new NameRef(Name(s, e[0]), TokenRange.Of(e[0])))
            .ToArray();

    /// <summary>The comma-separated elements inside the parenthesis that opens at <paramref name="open"/>, as token indexes.</summary>
    private static List<List<int>> Elements(SqlStatement s, int open) => Split(s, open + 1, Close(s, open));

    /// <summary>Token indexes from <paramref name="start"/> up to <paramref name="end"/> (excluded), split at commas outside brackets.</summary>
    private static List<List<int>> Split(SqlStatement s, int start, int end)
    {
        var elements = new List<List<int>>();
        var current = new List<int>();
        var depth = 0;
        for (var i = start; i < end && i < s.Tokens.Count; i++)
        {
            if (depth == 0 && s.Tokens[i].Kind == SqlTokenKind.Comma)
            {
                elements.Add(current);
                current = new List<int>();
                continue;
            }

            depth = Math.Max(0, depth + Depth(s.Tokens[i]));
            current.Add(i);
        }

        if (current.Count > 0)
        {
            elements.Add(current);
        }

        return elements;
    }

    /// <summary>The index of the bracket that closes the one at <paramref name="open"/>, or the statement's end.</summary>
    private static int Close(SqlStatement s, int open)
    {
        var depth = 0;
        for (var i = open; i < s.Tokens.Count; i++)
        {
            depth += Depth(s.Tokens[i]);
            if (depth == 0)
            {
                return i;
            }
        }

        return s.Tokens.Count;
    }

    /// <summary>The element position just past a column-constraint clause that starts at <paramref name="p"/>: up to the next constraint word outside brackets.</summary>
    private static int ClauseEnd(SqlStatement s, List<int> e, int p)
    {
        var depth = 0;
        for (; p < e.Count; p++)
        {
            var token = s.Tokens[e[p]];
            if (depth == 0 && token.Kind == SqlTokenKind.Word && ColumnConstraintWords.Contains(token.Text(s.Source)) && !s.IsWord(e[p], "NULL"))
            {
                break;
            }

            depth += Depth(token);
        }

        return p;
    }

    private static int NextParen(SqlStatement s, List<int> e, int k)
    {
        for (var p = k; p < e.Count; p++)
        {
            if (s.Tokens[e[p]].Kind == SqlTokenKind.OpenParen)
            {
                return e[p];
            }
        }

        return -1;
    }

    private static int FindWord(SqlStatement s, int from, string word)
    {
        for (var i = from; i < s.Tokens.Count; i++)
        {
            if (s.IsWord(i, word))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// Reads a type name from element position <paramref name="p"/> up to a word of <paramref name="stopWords"/>
    /// outside parentheses, as the table model records types: lower-case words, single spaces (<c>varchar(63)</c>).
    /// </summary>
    private static string ReadType(SqlStatement s, List<int> e, ref int p, HashSet<string> stopWords)
    {
        var type = new StringBuilder();
        var depth = 0;
        for (; p < e.Count; p++)
        {
            var token = s.Tokens[e[p]];
            if (depth == 0 && token.Kind == SqlTokenKind.Word && stopWords.Contains(token.Text(s.Source)))
            {
                break;
            }

            depth += Depth(token);
            var text = token.Kind == SqlTokenKind.Word ? token.Text(s.Source).ToLowerInvariant() : token.Text(s.Source);
            var glue = type.Length > 0 && token.Kind == SqlTokenKind.Word && type[type.Length - 1] is not '(' and not '.';
            type.Append(glue ? " " : string.Empty).Append(text);
        }

        return type.ToString();
    }

    private static int Depth(SqlToken token) =>
        token.Kind is SqlTokenKind.OpenParen or SqlTokenKind.OpenBracket ? 1 : token.Kind is SqlTokenKind.CloseParen or SqlTokenKind.CloseBracket ? -1 : 0;

    private static bool Is(SqlStatement s, int i, SqlTokenKind kind) => i >= 0 && i < s.Tokens.Count && s.Tokens[i].Kind == kind;

    private static bool IsWordIn(SqlStatement s, int i, HashSet<string> words) =>
        i < s.Tokens.Count && s.Tokens[i].Kind == SqlTokenKind.Word && words.Contains(s.TokenText(i));

    private static string Name(SqlStatement s, int i) => SqlIdentifier.Normalize(s.Source, s.Tokens[i]);
}
