using Microsoft.CodeAnalysis;

namespace ReferralOS.Sdk.Generators.Tests;

/// <summary>
/// A ROS id's severity is set where .NET users set one — an .editorconfig section that matches the .sql file,
/// a .globalconfig, NoWarn, WarningsAsErrors — and a diagnostic in a .sql file gets it. The compiler alone would
/// apply none of the .editorconfig settings to a diagnostic outside a source file; the generator applies them.
/// </summary>
public sealed class DiagnosticSeverityTests
{
    /// <summary>ROS0118, Error by default.</summary>
    private static readonly (string Path, string Text) NoTimeouts = SqlFiles.Migration(2, "add_nickname", "ALTER TABLE accounts ADD COLUMN nickname TEXT;");

    /// <summary>ROS0012, Warning by default.</summary>
    private static readonly (string Path, string Text) NoDownSection = (
        "execution/migrations/003_add_title.sql",
        SqlFiles.Migration(3, "add_title", "CREATE TABLE titles (id UUID PRIMARY KEY);").Text.Split("\n-- Down")[0] + "\n");

    private static (string Path, string Text) EditorConfig(string folder, string text) => (folder + ".editorconfig", text);

    [Fact]
    public void Without_configuration_an_id_has_its_default_severity()
    {
        Assert.Equal(["ROS0118 Error"], GeneratorHarness.Run(SqlFiles.BaseSchema, NoTimeouts).Severities("ROS0118"));
    }

    [Theory]
    [InlineData("error", DiagnosticSeverity.Error)]
    [InlineData("warning", DiagnosticSeverity.Warning)]
    [InlineData("suggestion", DiagnosticSeverity.Info)]
    [InlineData("silent", DiagnosticSeverity.Hidden)]
    [InlineData("default", DiagnosticSeverity.Error)]
    public void An_editorconfig_star_section_sets_the_severity_of_a_diagnostic_in_a_sql_file(string value, DiagnosticSeverity expected)
    {
        var config = EditorConfig(string.Empty, $"root = true\n\n[*]\ndotnet_diagnostic.ROS0118.severity = {value}\n");

        var outcome = GeneratorHarness.Run(SqlFiles.BaseSchema, NoTimeouts, config);

        var diagnostic = Assert.Single(outcome.Diagnostics);
        Assert.Equal(("ROS0118", expected, SqlFiles.LineOf(NoTimeouts.Text, "ALTER TABLE")), (diagnostic.Id, diagnostic.Severity, diagnostic.Location.GetLineSpan().StartLinePosition.Line + 1));
    }

    [Fact]
    public void None_in_an_editorconfig_reports_the_id_not_at_all()
    {
        var config = EditorConfig(string.Empty, "root = true\n\n[*]\ndotnet_diagnostic.ROS0118.severity = none\n");

        Assert.Empty(GeneratorHarness.Run(SqlFiles.BaseSchema, NoTimeouts, config).Diagnostics);
    }

    [Fact]
    public void An_editorconfig_section_for_sql_files_applies_to_them_and_one_for_cs_files_does_not()
    {
        var sqlSection = EditorConfig(string.Empty, "root = true\n\n[*.sql]\ndotnet_diagnostic.ROS0118.severity = warning\n");
        var csSection = EditorConfig(string.Empty, "root = true\n\n[*.cs]\ndotnet_diagnostic.ROS0118.severity = none\n");

        Assert.Equal(["ROS0118 Warning"], GeneratorHarness.Run(SqlFiles.BaseSchema, NoTimeouts, sqlSection).Severities("ROS0118"));
        Assert.Equal(["ROS0118 Error"], GeneratorHarness.Run(SqlFiles.BaseSchema, NoTimeouts, csSection).Severities("ROS0118"));
    }

    [Fact]
    public void A_section_naming_the_migrations_folder_applies_to_migrations_only()
    {
        var config = EditorConfig(string.Empty, "root = true\n\n[execution/migrations/*.sql]\ndotnet_diagnostic.ROS0015.severity = none\n\n[execution/seeds/*.sql]\ndotnet_diagnostic.ROS0015.severity = warning\n");
        var seed = SqlFiles.Seed(1, "teams", "INSERT INTO teams (id) VALUES ('00000000-0000-0000-0000-000000000001');");

        Assert.Equal(["ROS0015 Warning"], GeneratorHarness.Run(SqlFiles.BaseSchema, seed, config).Severities("ROS0015"));
    }

    [Fact]
    public void The_editorconfig_nearest_the_file_wins_and_root_true_stops_the_search_above_it()
    {
        var project = EditorConfig(string.Empty, "root = true\n\n[*]\ndotnet_diagnostic.ROS0118.severity = none\ndotnet_diagnostic.ROS0012.severity = none\n");
        var nested = EditorConfig("execution/", "[*.sql]\ndotnet_diagnostic.ROS0118.severity = warning\n");
        var nestedRoot = EditorConfig("execution/", "root = true\n\n[*.sql]\ndotnet_diagnostic.ROS0118.severity = warning\n");

        var nearest = GeneratorHarness.Run(SqlFiles.BaseSchema, NoTimeouts, NoDownSection, project, nested);
        var stopped = GeneratorHarness.Run(SqlFiles.BaseSchema, NoTimeouts, NoDownSection, project, nestedRoot);

        Assert.Equal(["ROS0118 Warning"], nearest.Diagnostics.Select(d => $"{d.Id} {d.Severity}"));
        Assert.Equal(["ROS0012 Warning", "ROS0118 Warning"], stopped.Diagnostics.Select(d => $"{d.Id} {d.Severity}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void NoWarn_suppresses_the_id()
    {
        var options = GeneratorHarness.CompilationOptions().WithSpecificDiagnosticOptions([new("ROS0118", ReportDiagnostic.Suppress)]);

        Assert.Empty(GeneratorHarness.Run(Texts(SqlFiles.BaseSchema, NoTimeouts), options).Diagnostics);
    }

    [Fact]
    public void WarningsAsErrors_turns_a_warning_into_an_error()
    {
        var options = GeneratorHarness.CompilationOptions().WithSpecificDiagnosticOptions([new("ROS0012", ReportDiagnostic.Error)]);

        Assert.Equal(["ROS0012 Warning"], GeneratorHarness.Run(SqlFiles.BaseSchema, NoDownSection).Severities("ROS0012"));
        Assert.Equal(["ROS0012 Error"], GeneratorHarness.Run(Texts(SqlFiles.BaseSchema, NoDownSection), options).Severities("ROS0012"));
    }

    [Fact]
    public void TreatWarningsAsErrors_promotes_a_warning_set_in_an_editorconfig_unless_WarningsNotAsErrors_names_it()
    {
        var files = Texts(SqlFiles.BaseSchema, NoTimeouts, EditorConfig(string.Empty, "root = true\n\n[*]\ndotnet_diagnostic.ROS0118.severity = warning\n"));
        var treatWarningsAsErrors = GeneratorHarness.CompilationOptions().WithGeneralDiagnosticOption(ReportDiagnostic.Error);
        var notAsErrors = treatWarningsAsErrors.WithSpecificDiagnosticOptions([new("ROS0118", ReportDiagnostic.Default)]);

        Assert.Equal(["ROS0118 Error"], GeneratorHarness.Run(files, treatWarningsAsErrors).Severities("ROS0118"));
        Assert.Equal(["ROS0118 Warning"], GeneratorHarness.Run(files, notAsErrors).Severities("ROS0118"));
    }

    [Fact]
    public void A_globalconfig_severity_the_compiler_applies_reaches_a_sql_diagnostic()
    {
        var options = GeneratorHarness.CompilationOptions().WithSyntaxTreeOptionsProvider(new GlobalConfig(("ROS0118", ReportDiagnostic.Warn)));

        Assert.Equal(["ROS0118 Warning"], GeneratorHarness.Run(Texts(SqlFiles.BaseSchema, NoTimeouts), options).Severities("ROS0118"));
    }

    [Fact]
    public void A_globalconfig_handed_to_the_generator_applies_as_the_compiler_would_apply_it()
    {
        var global = (".globalconfig", "is_global = true\ndotnet_diagnostic.ROS0118.severity = suggestion\n");

        Assert.Equal(["ROS0118 Info"], GeneratorHarness.Run(SqlFiles.BaseSchema, NoTimeouts, global).Severities("ROS0118"));
    }

    [Fact]
    public void For_a_sql_file_a_globalconfig_outranks_an_editorconfig_as_the_compiler_ranks_them_outside_source_files()
    {
        var editorConfig = EditorConfig(string.Empty, "root = true\n\n[*.sql]\ndotnet_diagnostic.ROS0118.severity = error\n");
        var options = GeneratorHarness.CompilationOptions().WithSyntaxTreeOptionsProvider(new GlobalConfig(("ROS0118", ReportDiagnostic.Warn)));

        Assert.Equal(["ROS0118 Warning"], GeneratorHarness.Run(Texts(SqlFiles.BaseSchema, NoTimeouts, editorConfig), options).Severities("ROS0118"));
    }

    [Fact]
    public void A_severity_for_another_id_changes_nothing()
    {
        var config = EditorConfig(string.Empty, "root = true\n\n[*]\ndotnet_diagnostic.ROS0115.severity = none\ndotnet_diagnostic.CA1000.severity = none\n");

        Assert.Equal(["ROS0118 Error"], GeneratorHarness.Run(SqlFiles.BaseSchema, NoTimeouts, config).Severities("ROS0118"));
    }

    private static IEnumerable<AdditionalText> Texts(params (string Path, string Text)[] files) => files.Select(f => GeneratorHarness.Text(f.Path, f.Text));

    /// <summary>What the compiler builds from a .globalconfig: global severities, and none per syntax tree.</summary>
    private sealed class GlobalConfig(params (string Id, ReportDiagnostic Severity)[] settings) : SyntaxTreeOptionsProvider
    {
        public override GeneratedKind IsGenerated(SyntaxTree tree, CancellationToken cancellationToken) => GeneratedKind.Unknown;

        public override bool TryGetDiagnosticValue(SyntaxTree tree, string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity)
        {
            severity = ReportDiagnostic.Default;
            return false;
        }

        public override bool TryGetGlobalDiagnosticValue(string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity)
        {
            foreach (var (id, value) in settings)
            {
                if (string.Equals(id, diagnosticId, StringComparison.OrdinalIgnoreCase))
                {
                    severity = value;
                    return true;
                }
            }

            severity = ReportDiagnostic.Default;
            return false;
        }
    }
}
