using ReferralOS.Sdk.Generators.Diagnostics;
using ReferralOS.Sdk.Generators.Parsing;
using ReferralOS.Sdk.Generators.Pipeline;

namespace ReferralOS.Sdk.Generators.Validation;

/// <summary>
/// Migrations and seeds are named <c>&lt;number&gt;_&lt;name&gt;.sql</c> (ROS0001) and numbered 1, 2, 3… with no number used
/// twice and none missing (ROS0002, ROS0003), and a migration is not created later than the one numbered after it
/// (ROS0008).
/// </summary>
internal static class NumberingRules
{
    /// <summary>The file's own name, against the one file name grammar (<see cref="Integrity.SqlFileName"/>).</summary>
    public static void CheckFileName(SqlFileModel file, List<DiagnosticInfo> diagnostics)
    {
        if (!file.HasValidName)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidFileName, file.FileLocation, file.FileName, file.Kind == SqlFileKind.Migration ? "migration" : "seed"));
        }
    }

    public static void Check(IReadOnlyList<SqlFileModel> files, List<DiagnosticInfo> diagnostics)
    {
        var expected = 1;
        SqlFileModel? previous = null;
        foreach (var file in files.Where(f => f.HasValidName))
        {
            var kind = file.Kind == SqlFileKind.Migration ? "migration" : "seed";
            if (previous is not null && previous.Number == file.Number)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateNumber, file.FileLocation, file.FileName, file.Number.ToString(System.Globalization.CultureInfo.InvariantCulture), previous.FileName, Capitalize(kind)));
                continue;
            }

            if (file.Number > expected)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NumberingGap, file.FileLocation, file.FileName, file.Number.ToString(System.Globalization.CultureInfo.InvariantCulture), Pad(expected), Capitalize(kind)));
            }

            expected = file.Number + 1;
            previous = file;
        }
    }

    public static void CheckCreatedOrder(IReadOnlyList<SqlFileModel> migrations, List<DiagnosticInfo> diagnostics)
    {
        SqlFileModel? previous = null;
        CreatedTime? previousCreated = null;
        foreach (var file in migrations.Where(f => f.HasValidName))
        {
            if (file.Created is not { UtcTicks: { } ticks } created)
            {
                continue;
            }

            if (previous is not null && previousCreated!.UtcTicks > ticks)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.CreatedOutOfOrder, previousCreated.Location, previous.FileName, previousCreated.Text, file.FileName, created.Text));
            }

            previous = file;
            previousCreated = created;
        }
    }

    private static string Pad(int number) => number.ToString("000", System.Globalization.CultureInfo.InvariantCulture);

    private static string Capitalize(string word) => char.ToUpperInvariant(word[0]) + word.Substring(1);
}
