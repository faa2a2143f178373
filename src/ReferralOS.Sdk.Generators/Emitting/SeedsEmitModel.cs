using System.Globalization;
using ReferralOS.Sdk.Generators.Parsing;
using ReferralOS.Sdk.Generators.Pipeline;
using ReferralOS.Sdk.Generators.Validation;

namespace ReferralOS.Sdk.Generators.Emitting;

/// <summary>
/// What <see cref="SeedsEmitter"/> writes: the seeds class's namespace and name, and one nested class per row a seed
/// inserts with a literal id.
/// </summary>
internal sealed record SeedsEmitModel(string Namespace, string ClassName, EquatableArray<SeedConstantModel> Rows)
{
    /// <summary>
    /// The classes of the validated catalog's seed rows, each named by its <c>-- Seed-Row:</c> name or after its seed,
    /// made unique, and each member typed from the SQL type the migrations give its column.
    /// </summary>
    public static SeedsEmitModel From(CatalogModel catalog, string @namespace, string className)
    {
        var columnTypes = new Dictionary<(string Table, string Column), string>();
        foreach (var column in catalog.SeedColumnTypes)
        {
            columnTypes[(column.Table, column.Column)] = column.SqlType;
        }

        var constants = new List<SeedConstantModel>();
        var usedNames = new HashSet<string>(StringComparer.Ordinal) { className };
        foreach (var seed in catalog.Seeds)
        {
            var unnamed = seed.SeedRows.Where(r => r.ExplicitName is null && HasLiteralId(r)).ToList();
            var ordinal = 0;
            foreach (var row in seed.SeedRows.Where(HasLiteralId))
            {
                var baseName = row.ExplicitName is { } explicitName && CSharpNames.IsIdentifier(explicitName)
                    ? explicitName
                    : CSharpNames.Pascal(seed.Name) + (unnamed.Count > 1 ? (++ordinal).ToString(CultureInfo.InvariantCulture) : string.Empty);
                var rowClassName = baseName;
                for (var suffix = 2; !usedNames.Add(rowClassName); suffix++)
                {
                    rowClassName = baseName + suffix.ToString(CultureInfo.InvariantCulture);
                }

                var members = new List<SeedMemberModel>();
                foreach (var value in row.Values)
                {
                    var memberName = CSharpNames.Pascal(value.Column);
                    if (memberName == rowClassName)
                    {
                        memberName += "Value";
                    }

                    var sqlType = columnTypes.TryGetValue((row.Table, value.Column), out var type) ? type : null;
                    if (ClrTypeMap.Member(memberName, value, sqlType) is { } member)
                    {
                        members.Add(member);
                    }
                }

                constants.Add(new SeedConstantModel(rowClassName, row.Table, seed.Version, row.Location.StartLine + 1, members.ToEquatableArray()));
            }
        }

        return new SeedsEmitModel(@namespace, className, constants.ToEquatableArray());
    }

    private static bool HasLiteralId(SeedRowModel row) =>
        row.Values.Any(v => v.Column == "id" && v.Kind is SeedValueKind.String or SeedValueKind.Number);
}

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
