using ReferralOS.Sdk.Generators.Diagnostics;
using ReferralOS.Sdk.Generators.Parsing;

namespace ReferralOS.Sdk.Generators.Validation;

/// <summary>
/// Migrations and seeds are numbered 1, 2, 3… with no number used twice and none missing, and a migration is not
/// created later than the one numbered after it.
/// </summary>
internal static class NumberingRules
{
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
        var previousCreated = default(DateTimeOffset);
        foreach (var file in migrations.Where(f => f.HasValidName))
        {
            if (!HeaderRules.TryParseCreated(file.Created, out var created))
            {
                continue;
            }

            if (previous is not null && previousCreated > created)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.CreatedOutOfOrder, previous.CreatedLocation, previous.FileName, previous.Created!, file.FileName, file.Created!));
            }

            previous = file;
            previousCreated = created;
        }
    }

    private static string Pad(int number) => number.ToString("000", System.Globalization.CultureInfo.InvariantCulture);

    private static string Capitalize(string word) => char.ToUpperInvariant(word[0]) + word.Substring(1);
}
