using Npgsql;

namespace ReferralOS.Sdk.Explaining;

/// <summary>
/// The user relations of a database at one moment — oid, name, kind and the file that holds its data
/// (<c>pg_class.relfilenode</c>) — read before and after a statement to name the relations it locked and to see which
/// it rewrote. System catalogs (oids below 16384), TOAST tables and temporary relations are left out.
/// </summary>
internal sealed class RelationSnapshot
{
    /// <summary>Every relation that is not a system catalog, a TOAST table or another session's temporary relation.</summary>
    public const string Query =
        "SELECT c.oid, c.oid::pg_catalog.regclass::text, c.relkind, c.relfilenode, c.relispartition FROM pg_catalog.pg_class c " +
        "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace " +
        "WHERE c.oid >= 16384 AND c.relkind <> 't' AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)'";

    private RelationSnapshot(Dictionary<uint, Relation> relations) => Relations = relations;

    /// <summary>The relations by oid.</summary>
    public IReadOnlyDictionary<uint, Relation> Relations { get; }

    public static async Task<RelationSnapshot> ReadAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        var relations = new Dictionary<uint, Relation>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            relations[reader.GetFieldValue<uint>(0)] = new Relation(reader.GetString(1), reader.GetChar(2), reader.GetFieldValue<uint>(3), reader.GetBoolean(4));
        }

        return new RelationSnapshot(relations);
    }

    public static async Task<RelationSnapshot> ReadAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(Query, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await ReadAsync(reader, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The relations with data of their own (tables, materialized views, indexes) whose data <paramref name="after"/>
    /// holds in a new file: the same oid with another relfilenode (ALTER TABLE … TYPE, VACUUM FULL, REINDEX, TRUNCATE), or
    /// the oid gone and a new relation of the same name and kind in its place (REINDEX CONCURRENTLY swaps in a new index).
    /// </summary>
    public IReadOnlyList<string> Rewritten(RelationSnapshot after)
    {
        var rewritten = new List<string>();
        foreach (var (oid, before) in Relations)
        {
            if (!before.HasStorage)
            {
                continue;
            }

            var replaced = after.Relations.TryGetValue(oid, out var now)
                ? now.FileNode != before.FileNode
                : after.Relations.Any(r => !Relations.ContainsKey(r.Key) && r.Value.Name == before.Name && r.Value.Kind == before.Kind);
            if (replaced)
            {
                rewritten.Add(before.Name);
            }
        }

        rewritten.Sort(StringComparer.Ordinal);
        return rewritten;
    }

    /// <summary>
    /// The relations that <paramref name="after"/> shows created, dropped, given a new file or made (or unmade) a partition since this snapshot. PostgreSQL
    /// holds ACCESS EXCLUSIVE on each of them at that moment: a new relation is locked so by its creator, and a relation
    /// is dropped, given a new relfilenode, or attached to or detached from a partitioned table only under it (DROP INDEX
    /// CONCURRENTLY, REINDEX CONCURRENTLY and DETACH PARTITION CONCURRENTLY take it for their last step). A statement outside a transaction may hold such a lock for too short a time for any sampler to
    /// see it — a CREATE INDEX CONCURRENTLY's first commit on a fast disk — so the catalog's record stands in for it.
    /// </summary>
    public IEnumerable<uint> Replaced(RelationSnapshot after) =>
        Relations.Where(r => !after.Relations.TryGetValue(r.Key, out var now) || (r.Value.HasStorage && now.FileNode != r.Value.FileNode) || now.IsPartition != r.Value.IsPartition).Select(r => r.Key)
            .Concat(after.Relations.Keys.Where(oid => !Relations.ContainsKey(oid)));

    /// <summary>The name a lock's oid had: before the statement when it existed then (a rename reports the name written), else after it.</summary>
    public static string? NameOf(uint oid, RelationSnapshot before, RelationSnapshot after) =>
        before.Relations.TryGetValue(oid, out var was) ? was.Name : after.Relations.TryGetValue(oid, out var now) ? now.Name : null;

    /// <summary>One relation: its name as regclass prints it, its pg_class.relkind, its relfilenode and whether it is a partition.</summary>
    public sealed record Relation(string Name, char Kind, uint FileNode, bool IsPartition)
    {
        /// <summary>A table, materialized view or index: the kinds whose rows live in a file a statement can replace.</summary>
        public bool HasStorage => Kind is 'r' or 'm' or 'i';
    }
}
