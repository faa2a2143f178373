using System.Text.RegularExpressions;

namespace ReferralOS.Cli.Importing.Layouts;

/// <summary>
/// diesel's folder: one folder per migration, <c>&lt;version&gt;_&lt;name&gt;</c> (the version is everything before the
/// first underscore, dashes removed, as diesel records it), holding <c>up.sql</c>, <c>down.sql</c> and optionally
/// <c>metadata.toml</c>. diesel runs each in a transaction unless <c>metadata.toml</c> says
/// <c>run_in_transaction = false</c> — and, as diesel reads it, a <c>metadata.toml</c> that does not set the key at all.
/// </summary>
internal static partial class DieselLayout
{
    public static void Read(SourceFolder source)
    {
        var found = new List<SourceMigration>();
        foreach (var file in Directory.GetFiles(source.Path).Order(StringComparer.Ordinal))
        {
            if (!Path.GetFileName(file).StartsWith('.'))
            {
                source.Skipped.Add(new ImportProblem(source.Relative(file), 0, "not a migration folder; diesel ignores files here too"));
            }
        }

        foreach (var folder in Directory.GetDirectories(source.Path))
        {
            var folderName = Path.GetFileName(folder);
            if (folderName.StartsWith('.'))
            {
                continue;
            }

            var up = Path.Combine(folder, "up.sql");
            if (!File.Exists(up))
            {
                source.Problem(source.Relative(folder), 0, "has no up.sql, so diesel refuses the whole folder: add the migration's up.sql or move the folder out");
                continue;
            }

            var underscore = folderName.IndexOf('_', StringComparison.Ordinal);
            var version = (underscore < 0 ? folderName : folderName[..underscore]).Replace("-", string.Empty, StringComparison.Ordinal);
            var name = underscore < 0 ? string.Empty : folderName[(underscore + 1)..];
            if (source.ReadText(up) is not { } upText)
            {
                continue;
            }

            SourceSql? down = null;
            var downPath = Path.Combine(folder, "down.sql");
            if (File.Exists(downPath) && source.ReadText(downPath) is { } downText && downText.Trim().Length > 0)
            {
                down = new SourceSql(source.Relative(downPath), downText, 1);
            }

            found.Add(new SourceMigration(version, name, new SourceSql(source.Relative(up), upText, 1), down, OutsideTransaction(source, Path.Combine(folder, "metadata.toml"))));
        }

        // diesel orders migrations by version, compared as text.
        foreach (var duplicate in found.GroupBy(m => m.Version, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            source.Problem(duplicate.First().Up.Path, 0, $"version {duplicate.Key} is also the version of {string.Join(", ", duplicate.Skip(1).Select(m => m.Up.Path))}: diesel keeps one row per version, so only one of them can have run");
        }

        source.Migrations.AddRange(found.OrderBy(m => m.Version, StringComparer.Ordinal));
    }

    private static bool OutsideTransaction(SourceFolder source, string metadata)
    {
        if (!File.Exists(metadata) || source.ReadText(metadata) is not { } toml)
        {
            return false;
        }

        var setting = RunInTransaction().Match(toml);
        return !setting.Success || setting.Groups["value"].Value == "false";
    }

    [GeneratedRegex(@"^[ \t]*run_in_transaction[ \t]*=[ \t]*(?<value>true|false)[ \t]*(?:#.*)?\r?$", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex RunInTransaction();
}
