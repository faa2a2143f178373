using ReferralOS.Sdk.Generators.Parsing;
using ReferralOS.Sdk.Generators.Pipeline;

namespace ReferralOS.Sdk.Generators.Validation;

/// <summary>
/// The catalog stage: orders the checked files and runs the rules that need more than one file — numbering, the
/// Created order, and, replaying every migration's steps in order and then every seed's, the table and column
/// references (<see cref="ReferenceRules"/>) and the unsafe-operation checks the per-file lint left to it
/// (<see cref="UnsafeOperationRules.CheckReplayed"/>). The lock file is not an input: its rules stand beside this
/// stage (<see cref="LockRules"/>).
/// </summary>
internal static class CatalogValidation
{
    public static Result<CatalogModel> Check(IReadOnlyList<CheckedFile> files, int postgresVersion)
    {
        var diagnostics = new List<DiagnosticInfo>();
        var migrations = Ordered(files, SqlFileKind.Migration);
        var seeds = Ordered(files, SqlFileKind.Seed);
        NumberingRules.Check(migrations.Select(m => m.File).ToList(), diagnostics);
        NumberingRules.Check(seeds.Select(s => s.File).ToList(), diagnostics);
        NumberingRules.CheckCreatedOrder(migrations.Select(m => m.File).ToList(), diagnostics);

        var named = migrations.Where(m => m.File.HasValidName).ToList();
        var namedSeeds = seeds.Where(s => s.File.HasValidName).ToList();
        var database = new MigratedDatabase();
        foreach (var file in named)
        {
            Replay(file, "migration", database, postgresVersion, diagnostics);
        }

        foreach (var seed in namedSeeds)
        {
            Replay(seed, "seed", database, postgresVersion, diagnostics);
        }

        var model = new CatalogModel(
            named.Select(m => m.File).ToEquatableArray(),
            namedSeeds.Select(s => s.File).ToEquatableArray(),
            SeedColumnTypes(namedSeeds, database));
        return new Result<CatalogModel>(model, diagnostics.ToEquatableArray());
    }

    /// <summary>The files of a kind in the order they apply: by number, then by file name; files without a valid name last.</summary>
    private static List<CheckedFile> Ordered(IReadOnlyList<CheckedFile> files, SqlFileKind kind) =>
        files.Where(f => f.File.Kind == kind)
            .OrderBy(f => f.File.HasValidName ? f.File.Number : int.MaxValue)
            .ThenBy(f => f.File.FileName, StringComparer.Ordinal)
            .ToList();

    /// <summary>Checks each step of a file against the database as the steps before it leave it, then applies it.</summary>
    private static void Replay(CheckedFile file, string kind, MigratedDatabase database, int postgresVersion, List<DiagnosticInfo> diagnostics)
    {
        var excused = new HashSet<StatementCheck>(file.Excused);
        var deferred = new HashSet<StatementCheck>(file.Deferred);
        foreach (var step in file.File.DatabaseSteps.Select(database.Resolve))
        {
            ReferenceRules.Check(step, kind, excused, database, diagnostics);
            UnsafeOperationRules.CheckReplayed(step, deferred, database, postgresVersion, diagnostics);
            database.Apply(step, file.File.Version);
        }
    }

    private static EquatableArray<SeedColumnType> SeedColumnTypes(IEnumerable<CheckedFile> seeds, MigratedDatabase database)
    {
        var types = new List<SeedColumnType>();
        var seen = new HashSet<(string, string)>();
        foreach (var row in seeds.SelectMany(s => s.File.SeedRows))
        {
            foreach (var value in row.Values)
            {
                if (seen.Add((row.Table, value.Column)) && database.ColumnType(row.Table, value.Column) is { } type)
                {
                    types.Add(new SeedColumnType(row.Table, value.Column, type));
                }
            }
        }

        return types.ToEquatableArray();
    }
}
