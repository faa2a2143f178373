using System.Text.RegularExpressions;
using ReferralOS.Sdk.Generators.Sql;

namespace ReferralOS.Sdk.Generators.Parsing;

/// <summary>
/// A <c>-- referralos:allow ROS0101[, ROS0102] because &lt;reason&gt;</c> comment directly above a statement, as written:
/// the statement it stands above (by index in the script), the ids it names when they are spelled as a list of ids,
/// and the reason after <c>because</c>. Whether it counts is the opt-out rule's to say.
/// </summary>
internal sealed record OptOutComment(int Statement, SqlToken Comment, bool NamesIds, IReadOnlyList<string> Ids, string Reason)
{
    private static readonly Regex Directive = new(@"^--[ \t]*referralos:allow\b(?<rest>.*)$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

    private static readonly Regex Body = new(
        @"^[ \t]+(?<ids>ROS[0-9]{4}(?:[ \t]*,[ \t]*ROS[0-9]{4})*)(?:[ \t]+because\b[ \t]*(?<reason>.*?))?[ \t]*$",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

    /// <summary>Every opt-out comment of the script, by statement, in the order they are written.</summary>
    public static List<OptOutComment> Read(ParsedScript script)
    {
        var comments = new List<OptOutComment>();
        for (var i = 0; i < script.Statements.Count; i++)
        {
            var statement = script.Statements[i].Statement;
            foreach (var comment in statement.LeadingComments.Where(c => c.Kind == SqlTokenKind.LineComment))
            {
                var directive = Directive.Match(comment.Text(statement.Source));
                if (!directive.Success)
                {
                    continue;
                }

                var body = Body.Match(directive.Groups["rest"].Value);
                var ids = body.Success
                    ? body.Groups["ids"].Value.Split(',').Select(id => id.Trim().ToUpperInvariant()).ToList()
                    : new List<string>();
                comments.Add(new OptOutComment(i, comment, body.Success, ids, body.Groups["reason"].Value.Trim()));
            }
        }

        return comments;
    }
}
