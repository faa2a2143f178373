using Microsoft.CodeAnalysis;
using ReferralOS.Sdk.Generators.Pipeline;

namespace ReferralOS.Sdk.Generators.Diagnostics;

/// <summary>
/// The one place diagnostics held as data become compiler diagnostics. Two decisions are taken here, at report
/// time, so that neither re-runs a parse: an id whose descriptor carries <see cref="DiagnosticDescriptors.NotOnReleasedTag"/>
/// (the unsafe-operation lint, ROS01xx, and the table and column references, ROS0016 and ROS0017) is not reported on
/// released migrations, and each diagnostic gets the severity the project configures for its file (none: not
/// reported at all).
/// </summary>
internal static class DiagnosticReporter
{
    public static void Report(SourceProductionContext context, EquatableArray<DiagnosticInfo> diagnostics, ReleasedMigrations released, DiagnosticSeverities severities)
    {
        foreach (var info in diagnostics)
        {
            if (Create(info, released, severities) is { } diagnostic)
            {
                context.ReportDiagnostic(diagnostic);
            }
        }
    }

    /// <returns>The diagnostic to report, or null when it is not reported.</returns>
    public static Diagnostic? Create(DiagnosticInfo info, ReleasedMigrations released, DiagnosticSeverities severities)
    {
        var descriptor = DiagnosticDescriptors.ById(info.Id);
        var path = info.Location?.FilePath;
        if (path is not null && DiagnosticDescriptors.SkipsReleasedMigrations(descriptor) && released.Contains(path))
        {
            return null;
        }

        DiagnosticSeverity? severity = severities.For(path, info.Id) switch
        {
            ReportDiagnostic.Suppress => null,
            ReportDiagnostic.Error => DiagnosticSeverity.Error,
            ReportDiagnostic.Warn => DiagnosticSeverity.Warning,
            ReportDiagnostic.Info => DiagnosticSeverity.Info,
            ReportDiagnostic.Hidden => DiagnosticSeverity.Hidden,
            _ => descriptor.DefaultSeverity,
        };
        if (severity is not { } effective)
        {
            return null;
        }

        return Diagnostic.Create(
            descriptor,
            info.Location?.ToLocation() ?? Location.None,
            effective,
            additionalLocations: null,
            properties: null,
            info.Arguments.Cast<object>().ToArray());
    }
}
