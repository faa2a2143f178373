using System.Text;
using Microsoft.CodeAnalysis.CSharp;

namespace ReferralOS.Sdk.Generators.Emitting;

/// <summary>C# names made from SQL names: snake_case to PascalCase, always a valid identifier.</summary>
internal static class CSharpNames
{
    public static string Pascal(string snake)
    {
        var result = new StringBuilder(snake.Length);
        var upper = true;
        foreach (var c in snake)
        {
            if (!char.IsLetterOrDigit(c))
            {
                upper = true;
                continue;
            }

            result.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }

        if (result.Length == 0 || char.IsDigit(result[0]))
        {
            result.Insert(0, '_');
        }

        return result.ToString();
    }

    /// <summary>Whether a name written in the SQL (a <c>-- Seed-Row:</c> name) can be a C# type name as it is: no keyword.</summary>
    public static bool IsIdentifier(string name) =>
        SyntaxFacts.IsValidIdentifier(name) && SyntaxFacts.GetKeywordKind(name) == SyntaxKind.None;
}
