using System.Text;
using CsCheck;
using ReferralOS.Sdk.Generators.Parsing;
using ReferralOS.Sdk.Generators.Sql;
using ReferralOS.Sdk.Generators.Validation;

namespace ReferralOS.Sdk.Generators.Tests;

/// <summary>
/// The generator never throws, whatever is in a .sql file: an exception would be AD0001 and take every other
/// diagnostic and the generated code down with it. Random SQL-shaped text and mutations of the real migrations
/// go through the lexer, the per-file parser and rules, and the whole generator.
/// </summary>
public sealed class GeneratorRobustnessTests
{
    private static readonly string[] Fragments =
    [
        "CREATE", "TABLE", "INDEX", "CONCURRENTLY", "UNIQUE", "IF", "NOT", "EXISTS", "ON", "ONLY", "ALTER", "ADD", "DROP", "COLUMN", "RENAME", "TO",
        "TYPE", "SET", "DATA", "NULL", "DEFAULT", "CONSTRAINT", "CHECK", "FOREIGN", "KEY", "REFERENCES", "PRIMARY", "VALID", "VALIDATE", "USING",
        "GENERATED", "ALWAYS", "AS", "STORED", "IDENTITY", "INSERT", "INTO", "VALUES", "CONFLICT", "DO", "NOTHING", "REINDEX", "SCHEMA", "TRIGGER",
        "COMMENT", "IS", "BEGIN", "ATOMIC", "END", "CASE", "FUNCTION", "LOCAL", "lock_timeout", "statement_timeout", "accounts", "id", "email",
        "serial", "uuid", "text", "gen_random_uuid", "now", "VACUUM", "FULL", "TRUNCATE", "LOCK", "CLUSTER", "LIKE", "PARTITION", "OF", "VIEW",
        "(", ")", "[", "]", ",", ";", ".", "::", "*", "=", "'", "''", "E'", "\\'", "\\", "\"", "\"\"", "U&'", "U&\"", "$$", "$1", "$tag$", "$", "--",
        "/*", "*/", "0x1F", "1.5e3", "42", " ", "  ", "\t", "\n", "\r\n", "\r", "\uFEFF", "é", "\u2028", "\uD83D\uDE00", "\uD800",
        "-- Migration: 002_x\n", "-- Description: d\n", "-- Created: 2025-01-01T00:00:00Z\n", "-- Transaction: none\n", "-- Lock-Timeout: 5s\n",
        "-- Up Migration\n", "-- Down Migration (commented, for reference)\n", "-- referralos:allow ROS0101 because x\n", "-- referralos:allow\n",
        "-- Seed-Row: Row\n", "-- Environment: development\n", "-- Seed: 001_s\n",
    ];

    private static readonly Gen<string> RandomSql = Gen.OneOf(Fragments).Array[0, 60].Select(parts => string.Join(" ", parts));

    private static readonly Gen<string> AnyText = Gen.String[Gen.Char, 0, 200];

    [Fact]
    public void The_lexer_covers_every_character_exactly_once()
    {
        Gen.OneOf(RandomSql, AnyText).Sample(text =>
        {
            var position = 0;
            foreach (var token in SqlLexer.Tokenize(text))
            {
                Assert.Equal(position, token.Start);
                Assert.True(token.Length > 0);
                position = token.End;
            }

            Assert.Equal(text.Length, position);
        }, iter: 5_000);
    }

    [Fact]
    public void Parsing_any_migration_or_seed_text_never_throws()
    {
        Gen.Select(Gen.OneOf(RandomSql, AnyText), Gen.Bool, Gen.Int[9, 18]).Sample((text, seed, version) =>
        {
            var kind = seed ? SqlFileKind.Seed : SqlFileKind.Migration;
            FileValidation.Check(SqlFileParser.Parse(new SqlInput("/p/execution/x/001_fuzz.sql", "execution/x/001_fuzz.sql", kind, text)), version);
        }, iter: 3_000);
    }

    [Fact]
    public void Parsing_mutations_of_the_shipped_migrations_never_throws()
    {
        var originals = Directory.GetFiles(GeneratorHarness.OutputFolder("execution"), "*.sql", SearchOption.AllDirectories)
            .Select(path => (Path: path, Text: File.ReadAllText(path), Kind: path.Contains("/seeds/", StringComparison.Ordinal) ? SqlFileKind.Seed : SqlFileKind.Migration))
            .ToArray();
        var mutations = Gen.Select(Gen.Int[0, originals.Length - 1], Gen.Int[0, int.MaxValue].Array[1, 8], Gen.OneOf(Fragments).Array[1, 8]);

        mutations.Sample((file, positions, inserts) =>
        {
            var original = originals[file];
            var text = Mutate(original.Text, positions, inserts);
            FileValidation.Check(SqlFileParser.Parse(new SqlInput(original.Path, Path.GetFileName(original.Path), original.Kind, text)), 15);
        }, iter: 2_000);
    }

    [Fact]
    public void The_whole_generator_never_fails_on_mutated_files()
    {
        var folder = GeneratorHarness.OutputFolder("execution");
        var originals = GeneratorHarness.FolderTexts(folder)
            .Select(t => (Path: t.Path["/project/".Length..], Text: t.GetText(TestContext.Current.CancellationToken)!.ToString()))
            .ToArray();
        var mutations = Gen.Select(Gen.Int[0, originals.Length - 1], Gen.Int[0, int.MaxValue].Array[1, 6], Gen.OneOf(Fragments).Array[1, 6]);

        mutations.Sample((file, positions, inserts) =>
        {
            var files = originals.ToArray();
            files[file] = (files[file].Path, Mutate(files[file].Text, positions, inserts));

            var result = GeneratorHarness.Run(files).Result;

            Assert.All(result.Results, r => Assert.Null(r.Exception));
            Assert.DoesNotContain(result.Diagnostics, d => d.Id is "CS8785" or "AD0001");
        }, iter: 150);
    }

    /// <summary>Deletes, duplicates or inserts fragments at the given positions, as an editor mid-keystroke would.</summary>
    private static string Mutate(string text, int[] positions, string[] inserts)
    {
        var builder = new StringBuilder(text);
        for (var i = 0; i < positions.Length; i++)
        {
            var at = builder.Length == 0 ? 0 : positions[i] % builder.Length;
            switch (positions[i] % 3)
            {
                case 0:
                    builder.Remove(at, Math.Min(1 + (positions[i] % 17), builder.Length - at));
                    break;
                case 1:
                    builder.Insert(at, builder.ToString(at, Math.Min(1 + (positions[i] % 23), builder.Length - at)));
                    break;
                default:
                    builder.Insert(at, inserts[i % inserts.Length]);
                    break;
            }
        }

        return builder.ToString();
    }
}
