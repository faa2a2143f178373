namespace ReferralOS.Cli.Importing;

/// <summary>The migration tools whose folders <c>referralos-db import</c> converts.</summary>
internal enum SourceTool
{
    /// <summary>diesel: <c>&lt;version&gt;_&lt;name&gt;/up.sql</c> and <c>down.sql</c>, <c>metadata.toml</c>.</summary>
    Diesel,

    /// <summary>golang-migrate: <c>&lt;n&gt;_&lt;name&gt;.up.sql</c> and <c>.down.sql</c>.</summary>
    GolangMigrate,

    /// <summary>Flyway: <c>V&lt;version&gt;__&lt;name&gt;.sql</c>, undo files <c>U&lt;version&gt;__…</c>.</summary>
    Flyway,

    /// <summary>dbmate: one file with <c>-- migrate:up</c> and <c>-- migrate:down</c>.</summary>
    Dbmate,

    /// <summary>goose: one file with <c>-- +goose Up</c> and <c>-- +goose Down</c>.</summary>
    Goose,

    /// <summary>sqlx: <c>&lt;n&gt;_&lt;name&gt;.up.sql</c>/<c>.down.sql</c>, or <c>&lt;n&gt;_&lt;name&gt;.sql</c>.</summary>
    Sqlx,
}

/// <summary>The names <c>--from</c> takes, which the <c>Imported-From</c> header line repeats.</summary>
internal static class SourceTools
{
    /// <summary>Every tool, in the order help lists them.</summary>
    public static readonly SourceTool[] All = [SourceTool.Diesel, SourceTool.GolangMigrate, SourceTool.Flyway, SourceTool.Dbmate, SourceTool.Goose, SourceTool.Sqlx];

    /// <summary>The tool's name as <c>--from</c> and the header line write it, e.g. <c>golang-migrate</c>.</summary>
    public static string Name(this SourceTool tool) => tool switch
    {
        SourceTool.Diesel => "diesel",
        SourceTool.GolangMigrate => "golang-migrate",
        SourceTool.Flyway => "flyway",
        SourceTool.Dbmate => "dbmate",
        SourceTool.Goose => "goose",
        SourceTool.Sqlx => "sqlx",
        _ => throw new ArgumentOutOfRangeException(nameof(tool), tool, "Unknown migration tool."),
    };

    /// <summary>Reads a tool name, ignoring case.</summary>
    public static bool TryParse(string name, out SourceTool tool)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(candidate.Name(), name.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                tool = candidate;
                return true;
            }
        }

        tool = default;
        return false;
    }
}
