using ReferralOS.Sdk.Generators.Pipeline;

namespace ReferralOS.Sdk.Generators.Emitting;

/// <summary>One generated seed-row class, e.g. <c>Seeds.TestReferrer</c>, and the members it holds.</summary>
internal sealed record SeedConstantModel(string ClassName, string Table, string SeedVersion, int Line, EquatableArray<SeedMemberModel> Members);

/// <summary>
/// One member of a seed-row class: its C# type and initialiser, and whether it can be a <c>const</c>
/// (Guid, DateTimeOffset and lists cannot, so they are static read-only).
/// </summary>
internal sealed record SeedMemberModel(string Name, string Column, string? SqlType, string ClrType, string Initializer, SeedMemberForm Form, string Display);

internal enum SeedMemberForm
{
    Const,
    StaticReadOnlyField,
    StaticProperty,
}
