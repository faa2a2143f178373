using ReferralOS.Sdk.Generators.Parsing;
using ReferralOS.Sdk.Generators.Pipeline;

namespace ReferralOS.Sdk.Generators.Validation;

/// <summary>
/// The per-file stage: every rule that needs one file alone, run on what the parser read — its name, text, header,
/// sections, opt-outs, unsafe operations (migrations) and INSERTs (seeds). An edit to one file re-runs this for that
/// file only. Never throws.
/// </summary>
internal static class FileValidation
{
    public static Result<CheckedFile> Check(ParsedFile file, int postgresVersion)
    {
        var diagnostics = new List<DiagnosticInfo>();
        var excused = EquatableArray<StatementCheck>.Empty;
        var deferred = EquatableArray<StatementCheck>.Empty;
        if (file.Input.Unreadable || file.Up is not { } up || file.Script is not { } script)
        {
            UnrunnableSqlRules.CheckReadable(file, diagnostics);
            return Checked(file, excused, deferred, diagnostics);
        }

        NumberingRules.CheckFileName(file.Model, diagnostics);
        UnrunnableSqlRules.CheckFile(file, diagnostics);
        HeaderRules.Check(file, diagnostics);
        if (file.Model.Kind == SqlFileKind.Migration)
        {
            SectionRules.Check(file, diagnostics);
            UnrunnableSqlRules.CheckScript(up, diagnostics);
            HeaderRules.CheckDirectives(file, diagnostics);
            var allowed = OptOutRules.Check(script, file.OptOuts, diagnostics);
            var model = file.Model;
            var context = new LintContext(!model.NonTransactional, postgresVersion, model.LockTimeoutMilliseconds is not null, model.StatementTimeoutMilliseconds is not null);
            deferred = UnsafeOperationRules.Check(script, allowed, context, diagnostics);
            if (file.Down is { } down)
            {
                UnrunnableSqlRules.CheckScript(down, diagnostics);
            }

            excused = Excused(allowed);
        }
        else
        {
            UnrunnableSqlRules.CheckScript(up, diagnostics);
            var allowed = OptOutRules.Check(script, file.OptOuts, diagnostics);
            SeedRules.Check(script, allowed, diagnostics);
            excused = Excused(allowed);
        }

        return Checked(file, excused, deferred, diagnostics);
    }

    private static Result<CheckedFile> Checked(ParsedFile file, EquatableArray<StatementCheck> excused, EquatableArray<StatementCheck> deferred, List<DiagnosticInfo> diagnostics) =>
        new(new CheckedFile(file.Model, excused, deferred), diagnostics.ToEquatableArray());

    private static EquatableArray<StatementCheck> Excused(HashSet<string>[] allowed) =>
        allowed.SelectMany((ids, statement) => ids.OrderBy(id => id, StringComparer.Ordinal).Select(id => new StatementCheck(statement, id))).ToEquatableArray();
}
