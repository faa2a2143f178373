namespace ReferralOS.Sdk;

/// <summary>Where one statement stands: its span in the script text and its one-based line and column in the .sql file.</summary>
/// <param name="Start">Offset of the statement in <see cref="SqlScript.Text"/>.</param>
/// <param name="Length">Length of the statement, its semicolon included.</param>
/// <param name="Line">One-based line of the statement's first token in the file.</param>
/// <param name="Column">One-based column of the statement's first token in the file.</param>
public readonly record struct SqlStatementSpan(int Start, int Length, int Line, int Column);
