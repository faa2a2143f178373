using ReferralOS.Sdk.Generators.Diagnostics;
using ReferralOS.Sdk.Generators.Parsing;
using ReferralOS.Sdk.Generators.Pipeline;

namespace ReferralOS.Sdk.Generators.Validation;

/// <summary>A seed's statements run again on databases that already hold their rows: every INSERT has ON CONFLICT.</summary>
internal static class SeedRules
{
    public static void Check(ParsedScript script, HashSet<string>[] allowed, List<DiagnosticInfo> diagnostics)
    {
        for (var i = 0; i < script.Statements.Count; i++)
        {
            if (script.Statements[i] is InsertStatement { HasOnConflict: false } insert &&
                !allowed[i].Contains(DiagnosticDescriptors.SeedInsertWithoutOnConflict.Id))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SeedInsertWithoutOnConflict, script.Locate(insert.Statement, insert.Lead), insert.Table.Name));
            }
        }
    }
}
