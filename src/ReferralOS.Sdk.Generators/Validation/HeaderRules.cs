using System.Globalization;
using System.Text.RegularExpressions;
using ReferralOS.Sdk.Generators.Diagnostics;
using ReferralOS.Sdk.Generators.Integrity;
using ReferralOS.Sdk.Generators.Parsing;

namespace ReferralOS.Sdk.Generators.Validation;

/// <summary>
/// The header block of one file: the spec's lines (<c>-- Migration:</c> or <c>-- Seed:</c> naming the file's own
/// version, a non-empty <c>-- Description:</c>, a migration's <c>-- Created:</c> ISO-8601 UTC time, a seed's
/// <c>-- Environment:</c>) and no key the design does not define.
/// </summary>
internal static class HeaderRules
{
    // Imported-From: "<tool> <version>" written by `referralos-db import`, the source tool's own version of the file (docs/adoption.md).
    public static readonly string[] MigrationKeys = { "Migration", "Description", "Created", "Transaction", "Lock-Timeout", "Statement-Timeout", "Imported-From" };

    public static readonly string[] SeedKeys = { "Seed", "Description", "Environment", "Created" };

    /// <summary>The environments a seed may name; production is refused by design.</summary>
    public static readonly string[] SeedEnvironments = { "development", "test" };

    private static readonly Regex IsoUtc = new(
        @"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,7})?)?(?:Z|\+00:?00)$",
        RegexOptions.CultureInvariant);

    public static void Check(SqlFileKind kind, string fileName, FileHeader header, SqlSource source, List<DiagnosticInfo> diagnostics)
    {
        var migration = kind == SqlFileKind.Migration;
        var versionKey = migration ? "Migration" : "Seed";
        var version = SqlFileName.Stem(fileName);
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
            if (!TryParseCreated(created.Value, out _))
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

    /// <summary>Reads a Created value: ISO-8601 with a UTC designator (Z or +00:00).</summary>
    public static bool TryParseCreated(string? value, out DateTimeOffset created)
    {
        created = default;
        return value is not null && IsoUtc.IsMatch(value) &&
               DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out created);
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
