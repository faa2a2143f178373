using ReferralOS.Sdk.Generators.Diagnostics;
using ReferralOS.Sdk.Generators.Emitting;
using ReferralOS.Sdk.Generators.Parsing;
using ReferralOS.Sdk.Generators.Pipeline;

namespace ReferralOS.Sdk.Generators.Validation;

/// <summary>
/// The cross-file stage: orders the parsed files, runs the rules that need more than one file, and resolves the
/// seed rows into typed constants against the schema the migrations build. The lock file is not an input: its
/// rules stand beside this stage (<see cref="LockRules"/>).
/// </summary>
internal static class CatalogBuilder
{
    public static Result<CatalogModel> Build(IReadOnlyList<SqlFileModel> files, GeneratorOptions options)
    {
        var diagnostics = new List<DiagnosticInfo>();
        var migrations = Ordered(files, SqlFileKind.Migration);
        var seeds = Ordered(files, SqlFileKind.Seed);
        NumberingRules.Check(migrations, diagnostics);
        NumberingRules.Check(seeds, diagnostics);
        NumberingRules.CheckCreatedOrder(migrations, diagnostics);

        var schema = ReferenceRules.Check(
            migrations.Where(m => m.HasValidName).ToList(),
            seeds.Where(s => s.HasValidName).ToList(),
            options.PostgresVersion,
            diagnostics);
        var constants = SeedConstants(seeds, schema, options);

        var model = new CatalogModel(
            options,
            migrations.Where(m => m.HasValidName).ToEquatableArray(),
            seeds.Where(s => s.HasValidName).ToEquatableArray(),
            constants.ToEquatableArray());
        return new Result<CatalogModel>(model, diagnostics.ToEquatableArray());
    }

    private static List<SqlFileModel> Ordered(IReadOnlyList<SqlFileModel> files, SqlFileKind kind) =>
        files.Where(f => f.Kind == kind)
            .OrderBy(f => f.HasValidName ? f.Number : int.MaxValue)
            .ThenBy(f => f.FileName, StringComparer.Ordinal)
            .ToList();

    private static List<SeedConstantModel> SeedConstants(List<SqlFileModel> seeds, MigratedDatabase schema, GeneratorOptions options)
    {
        var constants = new List<SeedConstantModel>();
        var usedNames = new HashSet<string>(StringComparer.Ordinal) { options.SeedsClassName };
        foreach (var seed in seeds.Where(s => s.HasValidName))
        {
            var unnamed = seed.SeedRows.Where(r => r.ExplicitName is null && HasLiteralId(r)).ToList();
            var ordinal = 0;
            foreach (var row in seed.SeedRows.Where(HasLiteralId))
            {
                var baseName = row.ExplicitName is { } explicitName && CSharpNames.IsIdentifier(explicitName)
                    ? explicitName
                    : CSharpNames.Pascal(seed.Name) + (unnamed.Count > 1 ? (++ordinal).ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Empty);
                var className = baseName;
                for (var suffix = 2; !usedNames.Add(className); suffix++)
                {
                    className = baseName + suffix.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                var members = new List<SeedMemberModel>();
                foreach (var value in row.Values)
                {
                    var memberName = CSharpNames.Pascal(value.Column);
                    if (memberName == className)
                    {
                        memberName += "Value";
                    }

                    if (ClrTypeMap.Member(memberName, value, schema.ColumnType(row.Table, value.Column)) is { } member)
                    {
                        members.Add(member);
                    }
                }

                constants.Add(new SeedConstantModel(className, row.Table, seed.Version, row.Location.StartLine + 1, members.ToEquatableArray()));
            }
        }

        return constants;
    }

    private static bool HasLiteralId(SeedRowModel row) =>
        row.Values.Any(v => v.Column == "id" && v.Kind is SeedValueKind.String or SeedValueKind.Number);
}
