using Microsoft.CodeAnalysis;

namespace ReferralOS.Sdk.Generators.Diagnostics;

/// <summary>
/// Every diagnostic the generator reports, one id per problem. Ids are stable: a released id is never reused
/// for another problem. Each has a row in docs/diagnostics.md, which its help link points to.
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string HelpLinkBase = "https://github.com/referralos/referralos-sdk/blob/main/docs/diagnostics.md#";
    private const string Naming = "ReferralOS.Naming";
    private const string Format = "ReferralOS.Format";

    public static readonly DiagnosticDescriptor InvalidFileName = Error(
        "ROS0001",
        Naming,
        "SQL file name is not <number>_<name>.sql",
        "'{0}' is not a valid {1} file name: rename it to <number>_<name>.sql, a zero-padded number of at least three digits and a lower-case snake_case name (for example 011_create_payouts.sql)");

    public static readonly DiagnosticDescriptor DuplicateNumber = Error(
        "ROS0002",
        Naming,
        "Duplicate number",
        "'{0}' reuses number {1} of '{2}': {3} numbers are never reused, give this file the next free number");

    public static readonly DiagnosticDescriptor NumberingGap = Error(
        "ROS0003",
        Naming,
        "Gap in the numbering",
        "'{0}' is numbered {1}, but number {2} is missing: {3}s are numbered 1, 2, 3… without gaps, so renumber this file to {2} or restore the missing one");

    public static readonly DiagnosticDescriptor MissingUpSection = Error(
        "ROS0009",
        Format,
        "Migration has no Up section",
        "'{0}' has no '-- Up Migration' line: add it after the header, above the statements that apply the migration");

    public static readonly DiagnosticDescriptor InvalidDirective = Error(
        "ROS0011",
        Format,
        "Malformed header directive",
        "'{0}: {1}' is not valid: {2}");

    private static readonly Dictionary<string, DiagnosticDescriptor> All =
        new[] { InvalidFileName, DuplicateNumber, NumberingGap, MissingUpSection, InvalidDirective }.ToDictionary(d => d.Id);

    public static DiagnosticDescriptor ById(string id) => All[id];

    private static DiagnosticDescriptor Error(string id, string category, string title, string message) =>
        new(id, title, message, category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + id.ToLowerInvariant());
}
