using ReferralOS.Sdk.Generators.Diagnostics;
using ReferralOS.Sdk.Generators.Parsing;

namespace ReferralOS.Sdk.Generators.Validation;

/// <summary>
/// Checks every migration and seed against the schema the migrations before it build: tables and columns it uses
/// must exist (ROS0016, ROS0017), and SET NOT NULL on an existing table needs a validated not-null CHECK (ROS0110).
/// Seeds are checked against the schema all migrations build.
/// </summary>
internal static class SchemaReferenceRules
{
    /// <returns>The schema after every migration, which types the seed constants.</returns>
    public static SchemaModel Check(IReadOnlyList<SqlFileModel> migrations, IReadOnlyList<SqlFileModel> seeds, List<DiagnosticInfo> diagnostics)
    {
        var schema = new SchemaModel();
        foreach (var migration in migrations)
        {
            Replay(schema, migration, "migration", diagnostics);
        }

        foreach (var seed in seeds)
        {
            Replay(schema, seed, "seed", diagnostics);
        }

        return schema;
    }

    private static void Replay(SchemaModel schema, SqlFileModel file, string kind, List<DiagnosticInfo> diagnostics)
    {
        foreach (var step in file.SchemaSteps.Select(schema.Resolve))
        {
            switch (step.Kind)
            {
                case SchemaStepKind.UseTable when !schema.HasTable(step.Table):
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnknownTable, step.Location, step.Table, kind));
                    break;
                case SchemaStepKind.UseColumn when step.Column is { } column && schema.HasTable(step.Table) && !schema.HasColumn(step.Table, column):
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnknownColumn, step.Location, step.Table, column, kind));
                    break;
                case SchemaStepKind.SetNotNull when step.Column is { } column && !schema.IsProvenNotNull(step.Table, column):
                    diagnostics.Add(DiagnosticInfo.Create(
                        DiagnosticDescriptors.SetNotNullWithoutCheck,
                        step.Location,
                        column,
                        step.Table,
                        "first ADD CONSTRAINT … CHECK (" + column + " IS NOT NULL) NOT VALID, VALIDATE it in a later migration, then SET NOT NULL (PostgreSQL 12 and later then skip the scan)"));
                    break;
                default:
                    schema.Apply(step);
                    break;
            }
        }
    }
}
