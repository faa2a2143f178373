using System.Text;

namespace ReferralOS.Sdk.Generators.Sql;

/// <summary>The values of SQL string constants as PostgreSQL reads them.</summary>
internal static class SqlLiteral
{
    /// <summary>The value of a quoted string constant: '' folds to ', and E'' strings take backslash escapes.</summary>
    public static string Unquote(string text)
    {
        var escapes = text[0] is 'e' or 'E';
        var open = text.IndexOf('\'');
        var body = text.Substring(open + 1, text.Length - open - 2);
        if (!escapes)
        {
            return body.Replace("''", "'");
        }

        var result = new StringBuilder(body.Length);
        for (var i = 0; i < body.Length; i++)
        {
            var c = body[i];
            if (c == '\'' && i + 1 < body.Length && body[i + 1] == '\'')
            {
                result.Append('\'');
                i++;
            }
            else if (c == '\\' && i + 1 < body.Length)
            {
                i++;
                result.Append(body[i] switch
                {
                    'n' => '\n',
                    'r' => '\r',
                    't' => '\t',
                    'b' => '\b',
                    'f' => '\f',
                    _ => body[i],
                });
            }
            else
            {
                result.Append(c);
            }
        }

        return result.ToString();
    }
}
