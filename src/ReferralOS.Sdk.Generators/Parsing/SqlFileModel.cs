using System.Globalization;
using System.Text.RegularExpressions;
using ReferralOS.Sdk.Generators.Pipeline;

namespace ReferralOS.Sdk.Generators.Parsing;

/// <summary>The text handed to the pipeline for one .sql AdditionalFile.</summary>
/// <param name="Path">The file's path as the project lists it.</param>
/// <param name="RelativePath">The path relative to the project, with forward slashes.</param>
/// <param name="Kind">Migration or seed.</param>
/// <param name="Text">The file's text as it was read, its BOM included.</param>
internal sealed record SqlInput(string Path, string RelativePath, SqlFileKind Kind, string Text)
{
    /// <summary>Where in <see cref="Text"/> the first character stands that was not decoded from valid UTF-8 (or UTF-16); -1 for none.</summary>
    public int UndecodableAt { get; init; } = -1;

    /// <summary>What is wrong there, for the message.</summary>
    public string UndecodableDetail { get; init; } = string.Empty;

    /// <summary>Whether the compiler had no text for the file (it could not open it, or found it binary).</summary>
    public bool Unreadable { get; init; }
}

/// <summary>The text of the project's migrations.lock AdditionalFile.</summary>
internal sealed record LockInput(string Path, string Text);

/// <summary>
/// The facts the later stages need from one parsed .sql file, as plain equatable data. A migration fills the
/// migration parts, a seed the seed parts. What is wrong with the file is not here: the rules decide that, and their
/// diagnostics travel beside this model.
/// </summary>
internal sealed record SqlFileModel(
    string Path,
    string RelativePath,
    SqlFileKind Kind,
    string FileName,
    int Number,
    string Name,
    string Version,
    string Description,
    CreatedTime? Created,
    bool NonTransactional,
    long? LockTimeoutMilliseconds,
    long? StatementTimeoutMilliseconds,
    EquatableArray<string> Environments,
    string Checksum,
    ScriptModel Up,
    ScriptModel? Down,
    EquatableArray<DatabaseStep> DatabaseSteps,
    EquatableArray<SeedRowModel> SeedRows,
    LocationInfo FileLocation)
{
    public bool HasValidName => Number >= 0;

    /// <summary>The named indexes a <c>Transaction: none</c> migration builds with CREATE INDEX CONCURRENTLY, for the runtime's INVALID-index check.</summary>
    public EquatableArray<ConcurrentIndexModel> ConcurrentIndexes { get; init; } = EquatableArray<ConcurrentIndexModel>.Empty;

    /// <summary>A migration's <c>-- Imported-From: &lt;tool&gt; &lt;version&gt;</c>, which <c>referralos-db import</c> writes; null when it has none.</summary>
    public ImportedFromModel? ImportedFrom { get; init; }
}

/// <summary>
/// The <c>-- Created:</c> header line: its value as written, where the value stands, and the UTC time it names, read
/// once, here — null when the value is not an ISO-8601 time with a UTC designator (Z or +00:00).
/// </summary>
internal sealed record CreatedTime(string Text, LocationInfo Location, long? UtcTicks)
{
    private static readonly Regex IsoUtc = new(
        @"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,7})?)?(?:Z|\+00:?00)$",
        RegexOptions.CultureInvariant);

    public static CreatedTime Read(string text, LocationInfo location) =>
        new(text, location, IsoUtc.IsMatch(text) &&
            DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var created)
                ? created.UtcTicks
                : null);
}

/// <summary>Where an imported migration came from: the source tool, and the version that tool records in its history table.</summary>
internal sealed record ImportedFromModel(string Tool, string Version);

/// <summary>An index built concurrently: its name as a quoted identifier, and its table as the SQL writes it (resolved by to_regclass at run time).</summary>
internal sealed record ConcurrentIndexModel(string Index, string Table);

/// <summary>A column and its declared SQL type, normalised (lower case, single spaces), e.g. <c>varchar(63)</c>.</summary>
internal sealed record TableColumn(string Name, string SqlType);

/// <summary>One row a seed INSERT writes, with the literal values it gives each column.</summary>
internal sealed record SeedRowModel(string Table, string? ExplicitName, EquatableArray<SeedValue> Values, LocationInfo Location);

internal enum SeedValueKind
{
    String,
    Number,
    Boolean,
    Null,
    StringArray,

    /// <summary>Anything that is not a plain literal (a function call, an expression): no constant is generated.</summary>
    Expression,
}

/// <summary>A literal a seed gives a column: the unescaped text, or the items of an ARRAY[…] of strings.</summary>
internal sealed record SeedValue(string Column, SeedValueKind Kind, string Text, EquatableArray<string> Items);
