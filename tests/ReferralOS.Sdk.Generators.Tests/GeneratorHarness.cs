using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace ReferralOS.Sdk.Generators.Tests;

/// <summary>Runs <see cref="MigrationCatalogGenerator"/> over in-memory files with a real compilation, as the compiler would.</summary>
internal static class GeneratorHarness
{
    public const string Root = "/project/";

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    {
        var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        return platform
            .Append(typeof(MigrationCatalog).Assembly.Location)
            .Append(typeof(Npgsql.NpgsqlDataSource).Assembly.Location)
            .Distinct()
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToImmutableArray();
    });

    public static CSharpCompilation Compilation(params string[] sources) => CSharpCompilation.Create(
        "Fixture",
        sources.Select((source, i) => CSharpSyntaxTree.ParseText(source, CSharpParseOptions.Default, path: $"{Root}Code{i}.cs")),
        References.Value,
        CompilationOptions());

    /// <summary>The compiler options of a project with nothing configured; tests add NoWarn, WarningsAsErrors or a global config.</summary>
    public static CSharpCompilationOptions CompilationOptions() =>
        new(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable);

    public static GeneratorDriver Driver(IEnumerable<AdditionalText> files, IReadOnlyDictionary<string, string>? properties = null) =>
        CSharpGeneratorDriver.Create(
            [new MigrationCatalogGenerator().AsSourceGenerator()],
            files,
            CSharpParseOptions.Default,
            Options(properties),
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>The analyzer config options of the fixture project, with MSBuild properties (without the <c>build_property.</c> prefix) set on top.</summary>
    public static AnalyzerConfigOptionsProvider Options(IReadOnlyDictionary<string, string>? properties = null)
    {
        var globals = new Dictionary<string, string>
        {
            ["build_property.RootNamespace"] = "Fixture",
            ["build_property.ProjectDir"] = Root,
            ["build_property.ReferralOsSchemaClassName"] = "FixtureSchema",
        };
        foreach (var (key, value) in properties ?? new Dictionary<string, string>())
        {
            globals["build_property." + key] = value;
        }

        return new OptionsProvider(globals);
    }

    /// <summary>Runs the generator once over <paramref name="files"/> and returns what it produced.</summary>
    public static GeneratorRunOutcome Run(IEnumerable<AdditionalText> files, IReadOnlyDictionary<string, string>? properties = null) =>
        Run(files, CompilationOptions(), properties);

    /// <summary>
    /// Runs the generator in a compilation with <paramref name="options"/>, as the compiler does: the driver passes
    /// what the generator reports through the compilation's filter (NoWarn, WarningsAsErrors, global configs).
    /// </summary>
    public static GeneratorRunOutcome Run(IEnumerable<AdditionalText> files, CSharpCompilationOptions options, IReadOnlyDictionary<string, string>? properties = null)
    {
        var compilation = Compilation("namespace Fixture;").WithOptions(options);
        var driver = Driver(files, properties).RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        return new GeneratorRunOutcome(driver.GetRunResult(), output);
    }

    /// <summary>Runs the generator over SQL texts keyed by their path under the project, e.g. "execution/migrations/001_a.sql".</summary>
    public static GeneratorRunOutcome Run(params (string Path, string Text)[] files) => Run(files.Select(f => Text(f.Path, f.Text)));

    /// <summary>Runs the generator over SQL texts with MSBuild properties, e.g. ReferralOsPostgresVersion.</summary>
    public static GeneratorRunOutcome Run(IReadOnlyDictionary<string, string> properties, params (string Path, string Text)[] files) =>
        Run(files.Select(f => Text(f.Path, f.Text)), properties);

    public static AdditionalText Text(string relativePath, string text) => new InMemoryText(Root + relativePath, SourceText.From(text));

    /// <summary>A file whose text was decoded as the compiler hands it over, with the encoding it was read in.</summary>
    public static AdditionalText Text(string relativePath, SourceText text) => new InMemoryText(Root + relativePath, text);

    /// <summary>A file the compiler lists but has no text for (it could not open it).</summary>
    public static AdditionalText Unreadable(string relativePath) => new InMemoryText(Root + relativePath, null);

    /// <summary>
    /// Emits the compilation the generator produced and loads it into a collectible context, as an application would
    /// run the generated catalog; the caller unloads the context.
    /// </summary>
    public static (System.Runtime.Loader.AssemblyLoadContext Context, System.Reflection.Assembly Assembly) Load(Compilation compilation)
    {
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        image.Position = 0;
        var context = new System.Runtime.Loader.AssemblyLoadContext("generated-" + Guid.NewGuid().ToString("N"), isCollectible: true);
        return (context, context.LoadFromStream(image));
    }

    /// <summary>The migrations of a loaded generated assembly, from its FixtureSchema class.</summary>
    public static IReadOnlyList<Migration> Migrations(System.Reflection.Assembly assembly) =>
        (IReadOnlyList<Migration>)assembly.GetType("Fixture.FixtureSchema", throwOnError: true)!.GetProperty("Migrations")!.GetValue(null)!;

    /// <summary>Every file of a folder on disk, as the project's AdditionalFiles would list them.</summary>
    public static IEnumerable<AdditionalText> FolderTexts(string executionFolder) =>
        Directory.EnumerateFiles(executionFolder, "*", SearchOption.AllDirectories)
            .Where(path => path.EndsWith(".sql", StringComparison.Ordinal) || path.EndsWith("migrations.lock", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(path => Text("execution/" + Path.GetRelativePath(executionFolder, path).Replace('\\', '/'), File.ReadAllText(path)));

    public static string OutputFolder(string name) => Path.Combine(AppContext.BaseDirectory, name);

    private sealed class InMemoryText(string path, SourceText? text) : AdditionalText
    {
        public override string Path { get; } = path;

        public override SourceText? GetText(CancellationToken cancellationToken = default) => text;
    }

    private sealed class OptionsProvider(Dictionary<string, string> globals) : AnalyzerConfigOptionsProvider
    {
        private static readonly DictionaryOptions Empty = new(new Dictionary<string, string>());

        public override AnalyzerConfigOptions GlobalOptions { get; } = new DictionaryOptions(globals);

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Empty;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Empty;
    }

    private sealed class DictionaryOptions(Dictionary<string, string> values) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);
    }
}

/// <summary>What one generator run produced: its sources and diagnostics, and the compilation with them added.</summary>
internal sealed record GeneratorRunOutcome(GeneratorDriverRunResult Result, Compilation Output)
{
    public ImmutableArray<Diagnostic> Diagnostics => Result.Diagnostics;

    public string Source(string hintName) =>
        Result.Results.Single().GeneratedSources.Single(s => s.HintName == hintName).SourceText.ToString();

    /// <summary>The diagnostics with an id, as "ROS0101@12" (one-based line), for compact assertions.</summary>
    public IEnumerable<string> Found(string id) =>
        Diagnostics.Where(d => d.Id == id).Select(d => $"{d.Id}@{d.Location.GetLineSpan().StartLinePosition.Line + 1}");

    /// <summary>The diagnostics with an id, as "ROS0118 Warning" (their effective severity).</summary>
    public IEnumerable<string> Severities(string id) => Diagnostics.Where(d => d.Id == id).Select(d => $"{d.Id} {d.Severity}");
}
