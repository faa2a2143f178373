using System.Globalization;
using Microsoft.CodeAnalysis;

namespace ReferralOS.Cli.Output;

/// <summary>The generator's diagnostics as the compiler prints them: <c>file(line,column): error ROS0xxx: message</c>, one a line.</summary>
internal static class DiagnosticLines
{
    /// <summary>Writes each diagnostic, errors and warnings highlighted, the path relative to the working directory.</summary>
    public static void Write(CliOutput output, IEnumerable<Diagnostic> diagnostics, string workingDirectory)
    {
        foreach (var diagnostic in diagnostics)
        {
            var span = diagnostic.Location.GetLineSpan();
            var where = $"{Path.GetRelativePath(workingDirectory, span.Path)}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1})";
            var line = $"{where}: {Severity(diagnostic.Severity)} {diagnostic.Id}: {diagnostic.GetMessage(CultureInfo.InvariantCulture)}";
            if (diagnostic.Severity is DiagnosticSeverity.Error or DiagnosticSeverity.Warning)
            {
                output.Warning(line);
            }
            else
            {
                output.Detail(line);
            }
        }
    }

    private static string Severity(DiagnosticSeverity severity) => severity switch
    {
        DiagnosticSeverity.Error => "error",
        DiagnosticSeverity.Warning => "warning",
        _ => "info",
    };
}
