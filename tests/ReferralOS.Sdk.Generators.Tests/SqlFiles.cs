using System.Globalization;
using ReferralOS.Sdk.Generators.Integrity;

namespace ReferralOS.Sdk.Generators.Tests;

/// <summary>Builds the .sql files the diagnostic tests run the generator over.</summary>
internal static class SqlFiles
{
    /// <summary>Migration 001: two tables every test can alter.</summary>
    public static readonly (string Path, string Text) BaseSchema = Migration(1, "create_accounts", """
        CREATE TABLE accounts (
          id UUID PRIMARY KEY,
          email TEXT,
          name TEXT,
          team_id UUID
        );
        CREATE TABLE teams (id UUID PRIMARY KEY);
        """);

    public static (string Path, string Text) Migration(int number, string name, string up, bool timeouts = false, bool transactionNone = false, string? header = null)
    {
        var version = number.ToString("000", CultureInfo.InvariantCulture) + "_" + name;
        var lines = new List<string>
        {
            "-- Migration: " + version,
            "-- Description: A migration for a test.",
            $"-- Created: 2025-01-{number:00}T00:00:00Z",
        };
        if (timeouts)
        {
            lines.Add("-- Lock-Timeout: 5s");
            lines.Add("-- Statement-Timeout: 1min");
        }

        if (transactionNone)
        {
            lines.Add("-- Transaction: none");
        }

        if (header is not null)
        {
            lines.Add(header);
        }

        lines.AddRange(["", "-- Up Migration", up.ReplaceLineEndings("\n"), "", "-- Down Migration (commented, for reference)", "-- SELECT 1;", ""]);
        return ("execution/migrations/" + version + ".sql", string.Join("\n", lines));
    }

    public static (string Path, string Text) Seed(int number, string name, string body, string environment = "development, test")
    {
        var version = number.ToString("000", CultureInfo.InvariantCulture) + "_" + name;
        var text = $"-- Seed: {version}\n-- Description: A seed for a test.\n-- Environment: {environment}\n\n{body.ReplaceLineEndings("\n")}\n";
        return ("execution/seeds/" + version + ".sql", text);
    }

    /// <summary>execution/migrations.lock releasing <paramref name="released"/>, as <c>referralos-db lock</c> writes it.</summary>
    public static (string Path, string Text) Lock(params (string Path, string Text)[] released) =>
        ("execution/migrations.lock", MigrationLockFile.Write(released.Select(f => MigrationChecksum.FromFile(f.Path, f.Text)!)));

    /// <summary>The one-based line of the first line of <paramref name="text"/> that contains <paramref name="fragment"/>.</summary>
    public static int LineOf(string text, string fragment) =>
        text.Split('\n').Select((line, i) => (line, i)).First(l => l.line.Contains(fragment, StringComparison.Ordinal)).i + 1;
}
