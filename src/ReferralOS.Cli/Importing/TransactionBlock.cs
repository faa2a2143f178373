using ReferralOS.Sdk.Generators.Sql;

namespace ReferralOS.Cli.Importing;

/// <summary>
/// The statements PostgreSQL refuses inside a transaction block — <c>CREATE INDEX CONCURRENTLY</c>, <c>VACUUM</c>,
/// <c>CREATE DATABASE</c> and the rest — read with the build's own statement splitter. A tool that sends a file in
/// one transaction could not have run a file holding one, so a file that holds one ran outside a transaction. This is
/// the rule Flyway applies to choose, and the one golang-migrate's single multi-statement query implies.
/// </summary>
/// <remarks>
/// <c>ALTER TYPE … ADD VALUE</c> is left out: it runs in a transaction from PostgreSQL 12 on (Flyway treats it as
/// non-transactional only on an older server).
/// </remarks>
internal static class TransactionBlock
{
    public static bool HasStatementThatCannotRunInOne(string sql) =>
        SqlStatementSplitter.Split(sql).Any(CannotRunInOne);

    private static bool CannotRunInOne(SqlStatement statement)
    {
        var first = statement.Lead(1);
        return first switch
        {
            "VACUUM" => true,
            "CREATE" or "DROP" => IsConcurrentIndex(statement) || statement.IsWord(1, "DATABASE") || statement.IsWord(1, "TABLESPACE") || statement.IsWord(1, "SUBSCRIPTION"),
            "REINDEX" => HasWordWithin(statement, "CONCURRENTLY", 6) || statement.IsWord(1, "SCHEMA") || statement.IsWord(1, "DATABASE") || statement.IsWord(1, "SYSTEM"),
            "ALTER" => statement.IsWord(1, "SYSTEM"),
            "DISCARD" => statement.IsWord(1, "ALL"),
            _ => false,
        };
    }

    /// <summary><c>CREATE [UNIQUE] INDEX CONCURRENTLY</c> or <c>DROP INDEX CONCURRENTLY</c>.</summary>
    private static bool IsConcurrentIndex(SqlStatement statement)
    {
        var index = statement.IsWord(1, "UNIQUE") ? 2 : 1;
        return statement.IsWord(index, "INDEX") && statement.IsWord(index + 1, "CONCURRENTLY");
    }

    private static bool HasWordWithin(SqlStatement statement, string word, int tokens)
    {
        for (var i = 0; i < tokens && i < statement.Tokens.Count; i++)
        {
            if (statement.IsWord(i, word))
            {
                return true;
            }
        }

        return false;
    }
}
