using ReferralOS.Sdk.Generators.Diagnostics;
using ReferralOS.Sdk.Generators.Parsing;
using ReferralOS.Sdk.Generators.Pipeline;

namespace ReferralOS.Sdk.Generators.Validation;

/// <summary>
/// A migration has an <c>-- Up Migration</c> section with the statements that apply it (ROS0009) and, after it, a
/// commented <c>-- Down Migration</c> section that documents how to undo it (ROS0012).
/// </summary>
internal static class SectionRules
{
    public static void Check(ParsedFile migration, List<DiagnosticInfo> diagnostics)
    {
        if (migration.UpMarkerLine is not { } upLine)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MissingUpSection, migration.Model.FileLocation, migration.Model.FileName));
        }
        else if (migration.DownMarkerLine is null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MissingDownSection, migration.Source.LocateLine(upLine), migration.Model.FileName));
        }
    }
}
