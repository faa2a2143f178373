using System.Security.Cryptography;
using System.Text;

namespace ReferralOS.Sdk.Tests;

/// <summary>
/// Small catalogs built in code for the runtime's failure scenarios. Statements are split on top-level
/// semicolons (outside quotes and dollar-quoted bodies) with their file lines, the way the generator splits them;
/// the file text is the header followed by the Up section, so file lines are header lines plus script lines.
/// </summary>
internal static class TestCatalog
{
    /// <summary>Lines before the Up section in the pretend file: the header the generator would have parsed.</summary>
    public const int HeaderLines = 2;

    public static MigrationCatalog Of(params Migration[] migrations) => new(migrations, []);

    /// <summary>
    /// One transactional migration that creates a table, waits at a gate — an advisory lock a test holds — and then
    /// creates another: a migration a test can stop in the middle, deterministically.
    /// </summary>
    public static MigrationCatalog Gated(long gate) => Of(Migration(
        1,
        $"""
        CREATE TABLE before_gate (id int);
        SELECT pg_advisory_xact_lock_shared({gate});
        CREATE TABLE after_gate (id int);
        """,
        name: "gated"));

    /// <summary>
    /// Migrations that are not idempotent on purpose: each appends its version to <c>runs</c> (no key), so a migration
    /// that ran twice shows as a duplicate row. One in the middle runs without a transaction and, like every such file,
    /// is idempotent: a run refused after its statements completed leaves it done but unrecorded, and the next run
    /// repeats it.
    /// </summary>
    public static MigrationCatalog Counting(int count = 8) => Of(
        Enumerable.Range(1, count).Select(n => n == 1
            ? Migration(1, "CREATE TABLE runs (version text NOT NULL, backend int NOT NULL DEFAULT pg_backend_pid());\nINSERT INTO runs (version) VALUES ('001');", name: "counting")
            : n == count / 2
                ? Migration(n, $"INSERT INTO runs (version) SELECT '{n:000}' WHERE NOT EXISTS (SELECT FROM runs WHERE version = '{n:000}');", name: "counting", transactionMode: MigrationTransactionMode.None)
                : Migration(n, $"INSERT INTO runs (version) VALUES ('{n:000}');", name: "counting"))
        .ToArray());

    /// <summary>
    /// For the chaos test: a table of 400,000 rows, then migrations that each take a while (so that a holder can be
    /// killed in the middle of one) and append their version to <c>runs</c> (no key, so a migration that ran twice shows
    /// twice), with a <c>Transaction: none</c> one early on (third, so that kills reach it) that builds an index
    /// concurrently and records itself idempotently.
    /// </summary>
    public static MigrationCatalog Chaos(int count = 24) => Of(
        Enumerable.Range(1, count).Select(n => n switch
        {
            1 => Migration(1, "CREATE TABLE runs (version text NOT NULL, backend int NOT NULL DEFAULT pg_backend_pid());\nCREATE TABLE items (id int);\nINSERT INTO items SELECT generate_series(1, 400000);\nINSERT INTO runs (version) VALUES ('001');", name: "chaos"),
            3 => Migration(
                n,
                $"CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_items_id ON items (id);\nINSERT INTO runs (version) SELECT '{n:000}' WHERE NOT EXISTS (SELECT FROM runs WHERE version = '{n:000}');",
                transactionMode: MigrationTransactionMode.None,
                name: "chaos_index",
                concurrentIndexes: [new ConcurrentIndex("\"idx_items_id\"", "items")]),
            _ => Migration(n, $"SELECT pg_sleep(0.15);\nINSERT INTO runs (version) VALUES ('{n:000}');", name: "chaos"),
        }).ToArray());

    /// <summary>
    /// A table, then a <c>Transaction: none</c> migration that builds a named index on it concurrently — the shape of
    /// a real 010_create_indexes — with the file's timeouts when given.
    /// </summary>
    public static MigrationCatalog ConcurrentIndex(TimeSpan? lockTimeout = null, TimeSpan? statementTimeout = null) => Of(
        Migration(1, "CREATE TABLE items (id int);\nINSERT INTO items SELECT generate_series(1, 1000);", name: "items"),
        Migration(
            2,
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_items_id ON items (id);",
            transactionMode: MigrationTransactionMode.None,
            lockTimeout: lockTimeout,
            statementTimeout: statementTimeout,
            name: "index_items",
            concurrentIndexes: [new ConcurrentIndex("\"idx_items_id\"", "items")]));

    public static Migration Migration(
        int number,
        string up,
        string? down = null,
        MigrationTransactionMode transactionMode = MigrationTransactionMode.Transactional,
        TimeSpan? lockTimeout = null,
        TimeSpan? statementTimeout = null,
        string? name = null,
        IReadOnlyList<ConcurrentIndex>? concurrentIndexes = null,
        MigrationOrigin? importedFrom = null)
    {
        name ??= "step";
        var version = $"{number:000}_{name}";
        return new Migration(
            version,
            number,
            name,
            description: $"Test migration {version}",
            created: null,
            path: $"execution/migrations/{version}.sql",
            checksum: Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(up + "\n--down\n" + down))),
            transactionMode,
            lockTimeout,
            statementTimeout,
            Script(up),
            down is null ? null : Script(down),
            concurrentIndexes,
            importedFrom);
    }

    public static SqlScript Script(string text)
    {
        var spans = new List<SqlStatementSpan>();
        var start = -1;
        for (var i = 0; i < text.Length; i++)
        {
            if (start < 0 && !char.IsWhiteSpace(text[i]))
            {
                start = i;
            }

            if (text[i] == '\'')
            {
                i = text.IndexOf('\'', i + 1);
            }
            else if (text[i] == '$' && i + 1 < text.Length && text[i + 1] == '$')
            {
                i = text.IndexOf("$$", i + 2, StringComparison.Ordinal) + 1;
            }
            else if (text[i] == ';')
            {
                spans.Add(Span(text, start, i + 1));
                start = -1;
            }
        }

        if (start >= 0 && text[start..].Trim().Length > 0)
        {
            spans.Add(Span(text, start, text.TrimEnd().Length));
        }

        return new SqlScript(text, spans);
    }

    private static SqlStatementSpan Span(string text, int start, int end)
    {
        var lineStart = text.LastIndexOf('\n', Math.Max(start - 1, 0)) + 1;
        var line = HeaderLines + 1 + text.AsSpan(0, start).Count('\n');
        return new SqlStatementSpan(start, end - start, line, start - lineStart + 1);
    }
}
