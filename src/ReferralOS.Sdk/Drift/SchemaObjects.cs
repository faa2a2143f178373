using Npgsql;
using ReferralOS.Sdk.History;

namespace ReferralOS.Sdk.Drift;

/// <summary>
/// The objects of one database that drift compares, read from the system catalogs in one query, each as a kind, a
/// name and a definition. Definitions are what PostgreSQL deparses (<c>pg_get_constraintdef</c>, <c>pg_get_indexdef</c>,
/// <c>pg_get_functiondef</c>, <c>pg_get_triggerdef</c>, <c>pg_get_viewdef</c>, <c>pg_get_expr</c>, <c>format_type</c>),
/// read with an empty <c>search_path</c> so that every name in them is schema-qualified: two databases built the same
/// way read the same text, however their SQL was formatted. Left out: PostgreSQL's own schemas, objects that belong to
/// an extension (the extension and its version stand for them), and the history table with its siblings
/// (<c>&lt;history&gt;_*</c> in its schema: the runtime's lock and repair tables), whose rows differ by design.
/// </summary>
internal static class SchemaObjects
{
    private const string Query = """
        WITH history_tables AS (
          SELECT c.oid FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = $1 AND (c.relname = $2 OR pg_catalog.left(c.relname, pg_catalog.length($2) + 1) = $2 || '_')
        ),
        excluded AS (
          SELECT oid FROM history_tables
          UNION SELECT i.indexrelid FROM pg_catalog.pg_index i WHERE i.indrelid IN (SELECT oid FROM history_tables)
          UNION SELECT d.objid FROM pg_catalog.pg_depend d
                 WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass
                   AND d.refobjid IN (SELECT oid FROM history_tables) AND d.deptype IN ('a', 'i')
        ),
        schemas AS (
          SELECT n.oid, n.nspname, n.nspowner, n.nspacl FROM pg_catalog.pg_namespace n
           WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_%'
             AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_namespace'::pg_catalog.regclass AND d.objid = n.oid AND d.deptype = 'e')
        ),
        relations AS (
          SELECT c.oid, c.relkind, c.relpersistence, c.relrowsecurity, c.relforcerowsecurity, c.relowner, c.relacl
            FROM pg_catalog.pg_class c JOIN schemas s ON s.oid = c.relnamespace
           WHERE c.oid NOT IN (SELECT oid FROM excluded)
             AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objid = c.oid AND d.deptype = 'e')
        ),
        functions AS (
          SELECT p.oid, p.prokind, p.proowner, p.proacl FROM pg_catalog.pg_proc p JOIN schemas s ON s.oid = p.pronamespace
           WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND d.objid = p.oid AND d.deptype = 'e')
        ),
        constraints AS (
          SELECT co.oid, co.conname, co.conrelid, co.contype, co.conindid FROM pg_catalog.pg_constraint co JOIN relations c ON c.oid = co.conrelid
           WHERE co.contype <> 'n'
        ),
        triggers AS (
          SELECT tg.oid, tg.tgname, tg.tgrelid, tg.tgenabled FROM pg_catalog.pg_trigger tg JOIN relations c ON c.oid = tg.tgrelid WHERE NOT tg.tgisinternal
        ),
        policies AS (
          SELECT po.* FROM pg_catalog.pg_policy po JOIN relations c ON c.oid = po.polrelid
        ),
        privileges AS (
          SELECT 'schema ' || pg_catalog.quote_ident(s.nspname) AS object, s.nspowner AS owner, a.grantee, a.privilege_type, a.is_grantable
            FROM schemas s, pg_catalog.aclexplode(COALESCE(s.nspacl, pg_catalog.acldefault('n'::"char", s.nspowner))) a
          UNION ALL
          SELECT CASE c.relkind WHEN 'S' THEN 'sequence ' WHEN 'v' THEN 'view ' WHEN 'm' THEN 'materialized view ' ELSE 'table ' END || c.oid::pg_catalog.regclass::text, c.relowner, a.grantee, a.privilege_type, a.is_grantable
            FROM relations c, pg_catalog.aclexplode(COALESCE(c.relacl, pg_catalog.acldefault((CASE c.relkind WHEN 'S' THEN 's' ELSE 'r' END)::"char", c.relowner))) a
           WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
          UNION ALL
          SELECT 'column ' || c.oid::pg_catalog.regclass::text || '.' || pg_catalog.quote_ident(att.attname), c.relowner, a.grantee, a.privilege_type, a.is_grantable
            FROM relations c JOIN pg_catalog.pg_attribute att ON att.attrelid = c.oid AND att.attnum > 0 AND NOT att.attisdropped AND att.attacl IS NOT NULL,
                 pg_catalog.aclexplode(att.attacl) a
          UNION ALL
          SELECT CASE p.prokind WHEN 'p' THEN 'procedure ' ELSE 'function ' END || p.oid::pg_catalog.regprocedure::text, p.proowner, a.grantee, a.privilege_type, a.is_grantable
            FROM functions p, pg_catalog.aclexplode(COALESCE(p.proacl, pg_catalog.acldefault('f'::"char", p.proowner))) a
        )
        SELECT 'Extension', pg_catalog.quote_ident(e.extname), 'version ' || e.extversion || ' in schema ' || pg_catalog.quote_ident(n.nspname)
          FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
        UNION ALL
        SELECT 'Schema', pg_catalog.quote_ident(s.nspname), 'schema' FROM schemas s
        UNION ALL
        SELECT 'Table', c.oid::pg_catalog.regclass::text,
               pg_catalog.concat_ws(', ', CASE c.relkind WHEN 'p' THEN 'partitioned table' WHEN 'f' THEN 'foreign table' ELSE 'table' END,
                         CASE WHEN c.relpersistence = 'u' THEN 'unlogged' END,
                         CASE WHEN c.relrowsecurity THEN 'row level security enabled' END,
                         CASE WHEN c.relforcerowsecurity THEN 'row level security forced' END)
          FROM relations c WHERE c.relkind IN ('r', 'p', 'f')
        UNION ALL
        SELECT 'View', c.oid::pg_catalog.regclass::text, CASE c.relkind WHEN 'm' THEN 'materialized view: ' ELSE 'view: ' END || pg_catalog.pg_get_viewdef(c.oid)
          FROM relations c WHERE c.relkind IN ('v', 'm')
        UNION ALL
        SELECT 'Column', c.oid::pg_catalog.regclass::text || '.' || pg_catalog.quote_ident(a.attname),
               pg_catalog.concat_ws(' ', pg_catalog.format_type(a.atttypid, a.atttypmod),
                         CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation THEN 'COLLATE ' || (SELECT pg_catalog.quote_ident(cl.collname) FROM pg_catalog.pg_collation cl WHERE cl.oid = a.attcollation) END,
                         CASE WHEN a.attnotnull THEN 'NOT NULL' END,
                         CASE a.attidentity WHEN 'a' THEN 'GENERATED ALWAYS AS IDENTITY' WHEN 'd' THEN 'GENERATED BY DEFAULT AS IDENTITY' END,
                         CASE WHEN a.attgenerated <> '' THEN 'GENERATED ALWAYS AS (' || pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) || ')' || CASE a.attgenerated WHEN 's' THEN ' STORED' ELSE ' VIRTUAL' END
                              WHEN ad.adbin IS NOT NULL THEN 'DEFAULT ' || pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) END)
          FROM relations c
          JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
          JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
          LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
         WHERE c.relkind IN ('r', 'p', 'f', 'v', 'm')
        UNION ALL
        SELECT 'Constraint', pg_catalog.quote_ident(co.conname) || ' on ' || co.conrelid::pg_catalog.regclass::text, pg_catalog.pg_get_constraintdef(co.oid)
          FROM constraints co
        UNION ALL
        SELECT 'Index', i.indexrelid::pg_catalog.regclass::text, pg_catalog.pg_get_indexdef(i.indexrelid) || CASE WHEN i.indisvalid THEN '' ELSE ' (INVALID)' END
          FROM pg_catalog.pg_index i JOIN relations c ON c.oid = i.indrelid
         WHERE NOT EXISTS (SELECT FROM constraints co WHERE co.conindid = i.indexrelid AND co.contype IN ('p', 'u', 'x'))
        UNION ALL
        SELECT 'Function', p.oid::pg_catalog.regprocedure::text,
               CASE WHEN p.prokind IN ('f', 'p') THEN pg_catalog.pg_get_functiondef(p.oid) ELSE 'aggregate or window function' END
          FROM functions p
        UNION ALL
        SELECT 'Trigger', pg_catalog.quote_ident(tg.tgname) || ' on ' || tg.tgrelid::pg_catalog.regclass::text,
               pg_catalog.pg_get_triggerdef(tg.oid) || CASE tg.tgenabled WHEN 'D' THEN ' (disabled)' WHEN 'R' THEN ' (enabled on replicas only)' WHEN 'A' THEN ' (enabled always)' ELSE '' END
          FROM triggers tg
        UNION ALL
        SELECT 'Policy', pg_catalog.quote_ident(po.polname) || ' on ' || po.polrelid::pg_catalog.regclass::text,
               pg_catalog.concat_ws(' ', CASE WHEN po.polpermissive THEN 'AS PERMISSIVE' ELSE 'AS RESTRICTIVE' END,
                         'FOR ' || CASE po.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE' WHEN 'd' THEN 'DELETE' ELSE 'ALL' END,
                         'TO ' || (SELECT pg_catalog.string_agg(r.name, ', ' ORDER BY r.name)
                                     FROM (SELECT CASE WHEN role = 0 THEN 'PUBLIC' ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(role)) END AS name FROM pg_catalog.unnest(po.polroles) role) r),
                         'USING (' || pg_catalog.pg_get_expr(po.polqual, po.polrelid) || ')',
                         'WITH CHECK (' || pg_catalog.pg_get_expr(po.polwithcheck, po.polrelid) || ')')
          FROM policies po
        UNION ALL
        SELECT 'Grant', g.object || ' to ' || g.grantee_name, pg_catalog.string_agg(g.privilege, ', ' ORDER BY g.privilege)
          FROM (SELECT p.object,
                       CASE WHEN p.grantee = p.owner THEN 'owner' WHEN p.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(p.grantee)) END AS grantee_name,
                       p.privilege_type || CASE WHEN p.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END AS privilege
                  FROM privileges p) g
         GROUP BY g.object, g.grantee_name
        UNION ALL
        SELECT 'Comment', 'on ' || pg_catalog.pg_describe_object(d.classoid, d.objoid, d.objsubid), d.description
          FROM pg_catalog.pg_description d
         WHERE (d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objoid IN (SELECT oid FROM relations))
            OR (d.classoid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND d.objoid IN (SELECT oid FROM functions))
            OR (d.classoid = 'pg_catalog.pg_namespace'::pg_catalog.regclass AND d.objoid IN (SELECT oid FROM schemas))
            OR (d.classoid = 'pg_catalog.pg_constraint'::pg_catalog.regclass AND d.objoid IN (SELECT oid FROM constraints))
            OR (d.classoid = 'pg_catalog.pg_trigger'::pg_catalog.regclass AND d.objoid IN (SELECT oid FROM triggers))
            OR (d.classoid = 'pg_catalog.pg_policy'::pg_catalog.regclass AND d.objoid IN (SELECT oid FROM policies))
            OR d.classoid = 'pg_catalog.pg_extension'::pg_catalog.regclass
        """;

    /// <summary>
    /// Reads every compared object of the database <paramref name="connection"/> is open on, in one transaction: where
    /// <paramref name="history"/> lives (resolved through the connection's own search_path), then, with an empty
    /// search_path set for that transaction only, the objects.
    /// </summary>
    public static async Task<IReadOnlyDictionary<(SchemaObjectKind Kind, string Name), string>> ReadAsync(NpgsqlConnection connection, HistoryTable history, int timeoutSeconds, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        string historySchema;
        await using (var locate = new NpgsqlCommand(history.SelectSchema, connection, transaction) { CommandTimeout = timeoutSeconds })
        {
            historySchema = (string?)await locate.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) ?? string.Empty;
        }

        await using var batch = new NpgsqlBatch(connection, transaction) { Timeout = timeoutSeconds };
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT pg_catalog.set_config('search_path', '', true)"));
        batch.BatchCommands.Add(new NpgsqlBatchCommand(Query) { Parameters = { new NpgsqlParameter<string> { TypedValue = historySchema }, new NpgsqlParameter<string> { TypedValue = history.Name } } });
        var objects = new Dictionary<(SchemaObjectKind, string), string>();
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                objects[(Enum.Parse<SchemaObjectKind>(reader.GetString(0)), reader.GetString(1))] = reader.GetString(2);
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return objects;
    }

    /// <summary>Every object whose definition differs, or that only one side has, ordered by kind and name.</summary>
    public static IReadOnlyList<SchemaDifference> Compare(
        IReadOnlyDictionary<(SchemaObjectKind Kind, string Name), string> expected,
        IReadOnlyDictionary<(SchemaObjectKind Kind, string Name), string> actual) =>
        expected.Keys.Union(actual.Keys)
            .Select(key => new SchemaDifference(key.Kind, key.Name, expected.GetValueOrDefault(key), actual.GetValueOrDefault(key)))
            .Where(d => !string.Equals(d.Expected, d.Actual, StringComparison.Ordinal))
            .OrderBy(d => d.Kind)
            .ThenBy(d => d.Name, StringComparer.Ordinal)
            .ToArray();
}
