using ReferralOS.Sdk.Generators.Diagnostics;
using ReferralOS.Sdk.Generators.Parsing;
using ReferralOS.Sdk.Generators.Pipeline;

namespace ReferralOS.Sdk.Generators.Validation;

/// <summary>
/// The header block of one file: the spec's lines (<c>-- Migration:</c> or <c>-- Seed:</c> naming the file's own
/// version, a non-empty <c>-- Description:</c>, a migration's <c>-- Created:</c> ISO-8601 UTC time, a seed's
/// <c>-- Environment:</c>), no key the design does not define, and directives whose values can be read.
/// </summary>
internal static class HeaderRules
{
    // Imported-From: "<tool> <version>" written by `referralos-db import`, the source tool's own version of the file (docs/adoption.md).
    public static readonly string[] MigrationKeys = { "Migration", "Description", "Created", "Transaction", "Lock-Timeout", "Statement-Timeout", "Imported-From" };

    public static readonly string[] SeedKeys = { "Seed", "Description", "Environment", "Created" };

    /// <summary>The environments a seed may name; production is refused by design.</summary>
    public static readonly string[] SeedEnvironments = { "development", "test" };

    /// <summary>The spec's header lines and the keys (ROS0004–ROS0007, ROS0010, ROS0013, ROS0014).</summary>
    public static void Check(ParsedFile file, List<DiagnosticInfo> diagnostics)
    {
        var header = file.Header;
        var source = file.Source;
        var fileName = file.Model.FileName;
        var migration = file.Model.Kind == SqlFileKind.Migration;
        var versionKey = migration ? "Migration" : "Seed";
        var version = file.Model.Version;
        var headerLocation = source.LocateLine(header.Entries.Count > 0 ? header.Entries[0].Line : 0);

        var keys = migration ? MigrationKeys : SeedKeys;
        foreach (var entry in header.Entries.Where(e => !keys.Contains(e.Key, StringComparer.OrdinalIgnoreCase)))
        {
            diagnostics.Add(DiagnosticInfo.Create(
                DiagnosticDescriptors.UnknownHeaderKey,
                source.LocateLine(entry.Line),
                entry.Key,
                migration ? "migration" : "seed",
                string.Join(", ", keys)));
        }

        if (header.Find(versionKey) is not { } versionEntry)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MissingHeaderLine, headerLocation, fileName, versionKey, "-- " + versionKey + ": " + version));
        }
        else if (!string.Equals(versionEntry.Value, version, StringComparison.Ordinal))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.HeaderVersionMismatch, Value(source, versionEntry), versionKey, versionEntry.Value, version));
        }

        if (header.Find("Description") is not { } description)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MissingHeaderLine, headerLocation, fileName, "Description", "-- Description: what the file does"));
        }
        else if (description.Value.Length == 0)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.EmptyDescription, source.LocateLine(description.Line), fileName, migration ? "migration" : "seed"));
        }

        if (header.Find("Created") is { } created)
        {
            if (file.Model.Created?.UtcTicks is null)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidCreated, Value(source, created), created.Value));
            }
        }
        else if (migration)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MissingHeaderLine, headerLocation, fileName, "Created", "-- Created: 2025-12-29T00:00:00Z"));
        }

        if (!migration)
        {
            CheckEnvironments(version, header, source, headerLocation, diagnostics);
        }
    }

    /// <summary>
    /// A migration's directives whose values cannot be read (ROS0011): the parser reads each value, and a line it could
    /// make nothing of is reported here, with what would be valid.
    /// </summary>
    public static void CheckDirectives(ParsedFile file, List<DiagnosticInfo> diagnostics)
    {
        var model = file.Model;
        void Invalid(string key, bool read, string advice)
        {
            if (file.Header.Find(key) is { } entry && !read)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidDirective, file.Source.Locate(entry.ValueStart, entry.ValueEnd), entry.Key, entry.Value, advice));
            }
        }

        Invalid("Transaction", model.NonTransactional, "the only value is 'none' (run the file outside a transaction); remove the line to run it in one transaction");
        Invalid(
            "Imported-From",
            model.ImportedFrom is not null,
            "write the source tool and its version of the file, two words, as referralos-db import writes them, for example 'diesel 20190223172340' or 'flyway 1.2.3'");
        foreach (var key in new[] { "Lock-Timeout", "Statement-Timeout" })
        {
            if (file.Header.Find(key) is { } entry && !TimeoutDirective.TryParse(entry.Value, out _, out var problem))
            {
                Invalid(key, read: false, problem);
            }
        }
    }

    private static void CheckEnvironments(string version, FileHeader header, SqlSource source, LocationInfo headerLocation, List<DiagnosticInfo> diagnostics)
    {
        var entry = header.Find("Environment");
        if (entry is null || entry.Value.Trim(',', ' ', '\t').Length == 0)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MissingEnvironment, entry is null ? headerLocation : source.LocateLine(entry.Line), version));
            return;
        }

        foreach (var name in entry.Value.Split(',').Select(n => n.Trim()).Where(n => n.Length > 0))
        {
            if (SeedEnvironments.Contains(name.ToLowerInvariant()))
            {
                continue;
            }

            var why = string.Equals(name, "production", StringComparison.OrdinalIgnoreCase) || string.Equals(name, "prod", StringComparison.OrdinalIgnoreCase)
                ? "seeds never run in production, remove it"
                : "a seed runs in development and/or test, name one of those";
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnknownEnvironment, source.LocateLine(entry.Line), version, name, why));
        }
    }

    private static LocationInfo Value(SqlSource source, HeaderEntry entry) =>
        entry.ValueEnd > entry.ValueStart ? source.Locate(entry.ValueStart, entry.ValueEnd) : source.LocateLine(entry.Line);
}
