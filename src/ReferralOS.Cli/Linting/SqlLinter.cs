using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using ReferralOS.Sdk.Generators;
using ReferralOS.Sdk.Generators.Parsing;

namespace ReferralOS.Cli.Linting;

/// <summary>
/// Runs the build's own source generator over an execution/ folder, outside a build, and returns its diagnostics:
/// the same rules, ids and messages as <c>dotnet build</c>, with no second implementation to drift from them.
/// </summary>
internal static class SqlLinter
{
    /// <summary>One .sql or lock file handed to the generator, and what it is; no bytes when it could not be read.</summary>
    public sealed record LintFile(string Path, string Kind, byte[]? Bytes);

    /// <summary>What the generator made of the files: its diagnostics, in file and line order, and the C# it generated.</summary>
    public sealed record Result(ImmutableArray<Diagnostic> Diagnostics, ImmutableArray<SyntaxTree> Generated);

    public static ImmutableArray<Diagnostic> Lint(IReadOnlyList<LintFile> files, int postgresVersion, CancellationToken cancellationToken) =>
        Run(files, postgresVersion, new Dictionary<string, string>(), cancellationToken).Diagnostics;

    /// <summary>Runs the generator over the files, with MSBuild properties as a build would pass them (without the <c>build_property.</c> prefix).</summary>
    public static Result Run(IReadOnlyList<LintFile> files, int postgresVersion, IReadOnlyDictionary<string, string> buildProperties, CancellationToken cancellationToken)
    {
        var texts = files.Select(f => (AdditionalText)new FileText(f.Path, f.Bytes)).ToImmutableArray();
        var properties = buildProperties.ToDictionary(p => "build_property." + p.Key, p => p.Value, StringComparer.Ordinal);
        properties["build_property.ReferralOsPostgresVersion"] = postgresVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var options = new LintOptions(files.ToDictionary(f => f.Path, f => f.Kind, StringComparer.Ordinal), properties);
        var driver = CSharpGeneratorDriver.Create(
            [new MigrationCatalogGenerator().AsSourceGenerator()],
            texts,
            CSharpParseOptions.Default,
            options);
        var compilation = CSharpCompilation.Create("ReferralOS.Lint", options: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var result = driver.RunGenerators(compilation, cancellationToken).GetRunResult();
        if (result.Results.Single().Exception is { } crash)
        {
            throw new InvalidOperationException($"The ReferralOS generator failed while linting: {crash.Message}", crash);
        }

        var diagnostics = result.Diagnostics
            .OrderBy(d => d.Location.GetLineSpan().Path, StringComparer.Ordinal)
            .ThenBy(d => d.Location.GetLineSpan().StartLinePosition.Line)
            .ThenBy(d => d.Id, StringComparer.Ordinal)
            .ToImmutableArray();
        return new Result(diagnostics, result.GeneratedTrees);
    }

    /// <summary>A file's text decoded as the compiler decodes it, or none, as the compiler gives none for a file it cannot read.</summary>
    private sealed class FileText(string path, byte[]? bytes) : AdditionalText
    {
        private readonly SourceText? _text = bytes is null ? null : SqlFileText.Decode(bytes);

        public override string Path { get; } = path;

        public override SourceText? GetText(CancellationToken cancellationToken = default) => _text;
    }

    /// <summary>What the buildTransitive props give a build: each file's kind, the PostgreSQL version and the other properties.</summary>
    private sealed class LintOptions(IReadOnlyDictionary<string, string> kinds, Dictionary<string, string> globalOptions) : AnalyzerConfigOptionsProvider
    {
        public override AnalyzerConfigOptions GlobalOptions { get; } = new Options(globalOptions);

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Options.None;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) =>
            kinds.TryGetValue(textFile.Path, out var kind) ? new Options(new Dictionary<string, string> { [MigrationCatalogGenerator.KindMetadata] = kind }) : Options.None;

        private sealed class Options(Dictionary<string, string> values) : AnalyzerConfigOptions
        {
            public static readonly Options None = new([]);

            public override bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value) =>
                values.TryGetValue(key, out value);
        }
    }
}
