using System.Text.RegularExpressions;
using ReferralOS.Sdk.Generators.Diagnostics;
using ReferralOS.Sdk.Generators.Parsing;
using ReferralOS.Sdk.Generators.Sql;

namespace ReferralOS.Sdk.Generators.Validation;

/// <summary>
/// Reads the opt-outs in a script: <c>-- referralos:allow ROS0101[, ROS0102] because &lt;reason&gt;</c> in the comments
/// directly above a statement excuses that statement from those checks. An opt-out without a reason, or naming an
/// id that cannot be excused, does not count and is itself reported (ROS0100).
/// </summary>
internal static class OptOutDirectives
{
    private static readonly Regex Directive = new(@"^--[ \t]*referralos:allow\b(?<rest>.*)$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

    private static readonly Regex Body = new(
        @"^[ \t]+(?<ids>ROS[0-9]{4}(?:[ \t]*,[ \t]*ROS[0-9]{4})*)(?:[ \t]+because\b[ \t]*(?<reason>.*?))?[ \t]*$",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

    /// <summary>The ids each statement of the script is excused from, by statement index.</summary>
    public static HashSet<string>[] Read(ParsedScript script, List<DiagnosticInfo> diagnostics)
    {
        var allowed = new HashSet<string>[script.Statements.Count];
        for (var i = 0; i < script.Statements.Count; i++)
        {
            allowed[i] = new HashSet<string>(StringComparer.Ordinal);
            var statement = script.Statements[i].Statement;
            foreach (var comment in statement.LeadingComments.Where(c => c.Kind == SqlTokenKind.LineComment))
            {
                var directive = Directive.Match(comment.Text(statement.Source));
                if (!directive.Success)
                {
                    continue;
                }

                var body = Body.Match(directive.Groups["rest"].Value);
                var problem = !body.Success ? "name the ids to allow, e.g. ROS0101"
                    : body.Groups["reason"].Value.Trim().Length == 0 ? "it gives no reason after 'because'"
                    : null;
                var ids = body.Success
                    ? body.Groups["ids"].Value.Split(',').Select(id => id.Trim().ToUpperInvariant()).ToList()
                    : new List<string>();
                var unknown = ids.FirstOrDefault(id => !DiagnosticDescriptors.CanOptOut(id));
                problem ??= unknown is null ? null : $"{unknown} is not a statement check that can be excused";
                if (problem is not null)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidOptOut, script.Locate(comment), problem));
                    continue;
                }

                allowed[i].UnionWith(ids);
            }
        }

        return allowed;
    }
}
