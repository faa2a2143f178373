using ReferralOS.Sdk.Generators.Diagnostics;
using ReferralOS.Sdk.Generators.Parsing;

namespace ReferralOS.Sdk.Generators.Validation;

/// <summary>
/// Checks every migration and seed against the schema the migrations before it build: tables and columns it uses
/// must exist (ROS0016, ROS0017), SET NOT NULL on an existing table needs a validated not-null CHECK (ROS0110), and a
/// type change on an existing table is reported unless, from the column's current type, it rewrites nothing
/// (ROS0109, <see cref="ColumnTypeChanges"/>), and a column added to an existing table with a DEFAULT that calls a
/// function the migrations create VOLATILE rewrites the table (ROS0107). Seeds are checked against the schema all
/// migrations build.
/// </summary>
internal static class ReferenceRules
{
    /// <returns>The schema after every migration, which types the seed constants.</returns>
    public static MigratedDatabase Check(IReadOnlyList<SqlFileModel> migrations, IReadOnlyList<SqlFileModel> seeds, int postgresVersion, List<DiagnosticInfo> diagnostics)
    {
        var schema = new MigratedDatabase();
        foreach (var migration in migrations)
        {
            Replay(schema, migration, "migration", postgresVersion, diagnostics);
        }

        foreach (var seed in seeds)
        {
            Replay(schema, seed, "seed", postgresVersion, diagnostics);
        }

        return schema;
    }

    private static void Replay(MigratedDatabase schema, SqlFileModel file, string kind, int postgresVersion, List<DiagnosticInfo> diagnostics)
    {
        foreach (var step in file.DatabaseSteps.Select(schema.Resolve))
        {
            switch (step.Kind)
            {
                case DatabaseStepKind.UseTable when !schema.HasTable(step.Table):
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnknownTable, step.Location, step.Table, kind));
                    break;
                case DatabaseStepKind.UseColumn when step.Column is { } column && schema.HasTable(step.Table) && !schema.HasColumn(step.Table, column):
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnknownColumn, step.Location, step.Table, column, kind));
                    break;
                case DatabaseStepKind.SetNotNull when step.Column is { } column && !schema.IsProvenNotNull(step.Table, column):
                    diagnostics.Add(DiagnosticInfo.Create(
                        DiagnosticDescriptors.SetNotNullWithoutCheck,
                        step.Location,
                        column,
                        step.Table,
                        "first ADD CONSTRAINT … CHECK (" + column + " IS NOT NULL) NOT VALID, VALIDATE it in a later migration, then SET NOT NULL (PostgreSQL 12 and later then skip the scan)"));
                    break;
                case DatabaseStepKind.AlterColumnType when step.Checked && step.Column is { } column:
                    var from = schema.ColumnType(step.Table, column);
                    if (!ColumnTypeChanges.RewritesNothing(from, step.SqlType, postgresVersion))
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.AlterColumnType, step.Location, column, step.Table, ColumnTypeChanges.Describe(from, step.SqlType)));
                    }

                    schema.Apply(step);
                    break;
                case DatabaseStepKind.CreateFunction:
                    schema.CreateFunction(step, file.Version);
                    break;
                case DatabaseStepKind.AddColumn when step.Checked && step.Functions.FirstOrDefault(f => schema.VolatileFunctionCreatedBy(f) is not null) is { } function:
                    diagnostics.Add(DiagnosticInfo.Create(
                        DiagnosticDescriptors.AddColumnRewritingDefault,
                        step.Location,
                        step.Column ?? string.Empty,
                        step.Table,
                        "a default calling " + function + "(), which " + schema.VolatileFunctionCreatedBy(function) + " creates VOLATILE (a function that names no volatility is VOLATILE), so it is evaluated for every row"));
                    schema.Apply(step);
                    break;
                default:
                    schema.Apply(step);
                    break;
            }
        }
    }
}
