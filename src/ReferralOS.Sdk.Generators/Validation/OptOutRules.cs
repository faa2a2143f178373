using ReferralOS.Sdk.Generators.Diagnostics;
using ReferralOS.Sdk.Generators.Parsing;
using ReferralOS.Sdk.Generators.Pipeline;

namespace ReferralOS.Sdk.Generators.Validation;

/// <summary>
/// Which opt-outs count: <c>-- referralos:allow ROS0101[, ROS0102] because &lt;reason&gt;</c> in the comments directly
/// above a statement excuses that statement from those checks. An opt-out without a reason, or naming an id that
/// cannot be excused (<see cref="DiagnosticDescriptors.CanOptOut"/>), does not count and is itself reported (ROS0100).
/// </summary>
internal static class OptOutRules
{
    /// <summary>The ids each statement of the script is excused from, by statement index.</summary>
    public static HashSet<string>[] Check(ParsedScript script, IReadOnlyList<OptOutComment> comments, List<DiagnosticInfo> diagnostics)
    {
        var allowed = new HashSet<string>[script.Statements.Count];
        for (var i = 0; i < allowed.Length; i++)
        {
            allowed[i] = new HashSet<string>(StringComparer.Ordinal);
        }

        foreach (var comment in comments)
        {
            var problem = !comment.NamesIds ? "name the ids to allow, e.g. ROS0101"
                : comment.Reason.Length == 0 ? "it gives no reason after 'because'"
                : comment.Ids.FirstOrDefault(id => !DiagnosticDescriptors.CanOptOut(id)) is { } unknown ? $"{unknown} is not a statement check that can be excused"
                : null;
            if (problem is not null)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidOptOut, script.Locate(comment.Comment), problem));
                continue;
            }

            allowed[comment.Statement].UnionWith(comment.Ids);
        }

        return allowed;
    }
}
