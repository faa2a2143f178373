using System.Text;
using ReferralOS.Sdk.Generators.Sql;

namespace ReferralOS.Sdk.Generators.Parsing;

/// <summary>
/// Reads the statements that change a session setting: <c>SET [SESSION | LOCAL] name {TO | =} value, …</c> (and
/// <c>SET SCHEMA</c>, <c>SET TIME ZONE</c>), <c>RESET name</c>, and <c>SELECT [pg_catalog.]set_config('name', 'value', …)</c>
/// as pg_dump writes it. Values are unquoted; a search_path given as one string to set_config is split into its schemas.
/// </summary>
internal static class SessionSettingReader
{
    public static SetStatement? Read(SqlStatement s)
    {
        if (s.IsWord(0, "RESET"))
        {
            return s.Tokens.Count > 1 && s.Tokens[1].Kind == SqlTokenKind.Word
                ? new SetStatement(s, new TokenRange(0, 1), s.TokenText(1).ToLowerInvariant(), Array.Empty<string>(), ToDefault: true)
                : null;
        }

        return s.IsWord(0, "SET") ? ReadSet(s) : ReadSetConfig(s);
    }

    private static SetStatement? ReadSet(SqlStatement s)
    {
        var i = s.IsWord(1, "LOCAL") || s.IsWord(1, "SESSION") ? 2 : 1;
        if (i >= s.Tokens.Count || s.Tokens[i].Kind != SqlTokenKind.Word)
        {
            return null;
        }

        var lead = new TokenRange(0, i);
        if (s.IsWord(i, "SCHEMA"))
        {
            return new SetStatement(s, lead, "search_path", Values(s, i + 1), ToDefault: false);
        }

        if (s.IsWord(i, "TIME") && s.IsWord(i + 1, "ZONE"))
        {
            return new SetStatement(s, new TokenRange(0, i + 1), "timezone", Values(s, i + 2), ToDefault: s.IsWord(i + 2, "DEFAULT") || s.IsWord(i + 2, "LOCAL"));
        }

        // A custom setting is dotted: myapp.tenant_id.
        var name = new StringBuilder(s.TokenText(i).ToLowerInvariant());
        var at = i + 1;
        while (at + 1 < s.Tokens.Count && s.Tokens[at].Kind == SqlTokenKind.Dot && SqlIdentifier.IsName(s.Tokens[at + 1]))
        {
            name.Append('.').Append(SqlIdentifier.Normalize(s.Source, s.Tokens[at + 1]));
            at += 2;
        }

        if (s.IsWord(at, "TO") || (at < s.Tokens.Count && s.TokenText(at) == "="))
        {
            at++;
        }

        var toDefault = s.IsWord(at, "DEFAULT") && at == s.Tokens.Count - 1;
        return new SetStatement(s, lead, name.ToString(), toDefault ? Array.Empty<string>() : Values(s, at), toDefault);
    }

    /// <summary>SELECT [pg_catalog.]set_config('name', 'value', is_local): only when that call is the whole statement.</summary>
    private static SetStatement? ReadSetConfig(SqlStatement s)
    {
        var i = 1;
        if (s.IsWord(i, "pg_catalog") && i + 1 < s.Tokens.Count && s.Tokens[i + 1].Kind == SqlTokenKind.Dot)
        {
            i += 2;
        }

        bool Is(int at, SqlTokenKind kind) => at < s.Tokens.Count && s.Tokens[at].Kind == kind && !s.Tokens[at].Unterminated;
        if (!s.IsWord(i, "set_config") || s.Tokens.Count != i + 8 || !Is(i + 1, SqlTokenKind.OpenParen) || !Is(i + 2, SqlTokenKind.String) ||
            !Is(i + 3, SqlTokenKind.Comma) || !Is(i + 4, SqlTokenKind.String) || !Is(i + 5, SqlTokenKind.Comma) || !Is(i + 7, SqlTokenKind.CloseParen))
        {
            return null;
        }

        var name = SqlLiteral.Unquote(s.TokenText(i + 2)).ToLowerInvariant();
        var value = SqlLiteral.Unquote(s.TokenText(i + 4));
        var values = name == "search_path" ? SplitList(value) : new[] { value };
        return new SetStatement(s, new TokenRange(0, i + 7), name, values, ToDefault: false);
    }

    /// <summary>The comma-separated values after TO or =: words folded to lower case, strings and quoted names as written.</summary>
    private static IReadOnlyList<string> Values(SqlStatement s, int start)
    {
        var values = new List<string>();
        var current = new StringBuilder();
        for (var i = start; i <= s.Tokens.Count; i++)
        {
            if (i == s.Tokens.Count || s.Tokens[i].Kind == SqlTokenKind.Comma)
            {
                values.Add(current.ToString());
                current.Clear();
                continue;
            }

            var token = s.Tokens[i];
            current.Append(token.Kind switch
            {
                SqlTokenKind.String when !token.Unterminated => SqlLiteral.Unquote(token.Text(s.Source)),
                SqlTokenKind.QuotedIdentifier or SqlTokenKind.Word => SqlIdentifier.Normalize(s.Source, token),
                _ => token.Text(s.Source),
            });
        }

        return values.Count == 1 && values[0].Length == 0 && start >= s.Tokens.Count ? Array.Empty<string>() : values;
    }

    /// <summary>A list setting given as one string, as set_config takes it: "$user", public → $user, public.</summary>
    private static string[] SplitList(string value)
    {
        var items = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        var wasQuoted = false;
        for (var i = 0; i <= value.Length; i++)
        {
            var c = i < value.Length ? value[i] : ',';
            if (quoted)
            {
                if (c == '"' && i + 1 < value.Length && value[i + 1] == '"')
                {
                    current.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
                wasQuoted = true;
            }
            else if (c == ',')
            {
                var item = wasQuoted ? current.ToString() : current.ToString().Trim().ToLowerInvariant();
                if (item.Length > 0)
                {
                    items.Add(item);
                }

                current.Clear();
                wasQuoted = false;
            }
            else if (!(char.IsWhiteSpace(c) && wasQuoted))
            {
                current.Append(c);
            }
        }

        return items.ToArray();
    }
}
