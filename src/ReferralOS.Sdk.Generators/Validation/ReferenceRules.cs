using Microsoft.CodeAnalysis;
using ReferralOS.Sdk.Generators.Diagnostics;
using ReferralOS.Sdk.Generators.Parsing;
using ReferralOS.Sdk.Generators.Pipeline;

namespace ReferralOS.Sdk.Generators.Validation;

/// <summary>
/// The tables and columns a migration or seed uses exist in the migrations before it (ROS0016, ROS0017): a seed is
/// checked against what every migration creates. Each step is checked as the catalog stage replays it, against the
/// database as the earlier steps leave it.
/// </summary>
internal static class ReferenceRules
{
    /// <param name="step">The step, resolved to the table it means.</param>
    /// <param name="kind">What the step's file is, for the message: "migration" or "seed".</param>
    /// <param name="excused">The ids the statements of the step's file are excused from.</param>
    /// <param name="database">What the migrations before the step create.</param>
    /// <param name="diagnostics">Where the findings go.</param>
    public static void Check(DatabaseStep step, string kind, ISet<StatementCheck> excused, MigratedDatabase database, List<DiagnosticInfo> diagnostics)
    {
        bool Excused(DiagnosticDescriptor descriptor) => excused.Contains(new StatementCheck(step.Statement, descriptor.Id));
        switch (step.Kind)
        {
            case DatabaseStepKind.UseTable when !database.HasTable(step.Table) && !Excused(DiagnosticDescriptors.UnknownTable):
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnknownTable, step.Location, step.Table, kind));
                break;
            case DatabaseStepKind.UseColumn when step.Column is { } column && database.HasTable(step.Table) && !database.HasColumn(step.Table, column) &&
                                                 !Excused(DiagnosticDescriptors.UnknownColumn):
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnknownColumn, step.Location, step.Table, column, kind));
                break;
        }
    }
}
