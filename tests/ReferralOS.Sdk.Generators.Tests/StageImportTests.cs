using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ReferralOS.Sdk.Generators.Tests;

/// <summary>
/// The generator's stages import one way, each folder its own namespace: <c>Sql/</c> (tokens, statements) →
/// <c>Parsing/</c> (the facts of a file) → <c>Validation/</c> (every rule) → <c>Emitting/</c> (C# from its own
/// models), with <c>Pipeline/</c> (equatable plumbing), <c>Integrity/</c> (shared with the CLI) and
/// <c>Diagnostics/</c> (descriptors and reporting) beside them, and the root namespace wiring them together. The
/// generator's sources are compiled here and every name they use is bound, so a reference cannot hide behind a
/// qualified name or an inferred type.
/// </summary>
public sealed class StageImportTests
{
    private const string Root = "ReferralOS.Sdk.Generators";

    /// <summary>Per folder, the generator namespaces its code may use besides its own; the root folder may use all.</summary>
    private static readonly Dictionary<string, string[]> MayUse = new(StringComparer.Ordinal)
    {
        ["Sql"] = [],
        ["Integrity"] = [],
        ["Pipeline"] = [],
        ["Diagnostics"] = ["Pipeline"],
        ["Parsing"] = ["Sql", "Integrity", "Pipeline"],
        ["Validation"] = ["Sql", "Parsing", "Integrity", "Pipeline", "Diagnostics"],
        ["Emitting"] = ["Pipeline"],
    };

    /// <summary>The stages whose plain-data models Emitting is handed, which it reads and never calls into.</summary>
    private static readonly string[] HandedToEmitting = ["Parsing", "Validation"];

    private static readonly Lazy<GeneratorSources> Sources = new(GeneratorSources.Load);

    public static TheoryData<string> Folders => [.. MayUse.Keys];

    [Fact]
    public void The_generator_s_sources_compile_here_so_every_name_is_bound()
    {
        var errors = Sources.Value.Compilation.GetDiagnostics(TestContext.Current.CancellationToken)
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .Select(d => d.ToString());

        Assert.Empty(errors);
    }

    [Fact]
    public void Every_file_s_namespace_is_its_folder()
    {
        var misplaced = Sources.Value.Files
            .SelectMany(f => f.Tree.GetRoot(TestContext.Current.CancellationToken).DescendantNodes().OfType<BaseNamespaceDeclarationSyntax>()
                .Select(n => n.Name.ToString())
                .Where(name => name != Namespace(f.Folder))
                .Select(name => $"{f.Path}: namespace {name}"));

        Assert.Empty(misplaced);
        Assert.All(MayUse.Keys, folder => Assert.Contains(Sources.Value.Files, f => f.Folder == folder));
    }

    [Theory]
    [MemberData(nameof(Folders))]
    public void A_stage_uses_only_the_stages_before_it(string folder)
    {
        var allowed = MayUse[folder].Append(folder).ToHashSet(StringComparer.Ordinal);
        if (folder == "Emitting")
        {
            allowed.UnionWith(HandedToEmitting);
        }

        var violations = Sources.Value.Files.Where(f => f.Folder == folder)
            .SelectMany(f => Sources.Value.References(f).Concat(Usings(f))
                .Where(r => r.Stage is { } stage && !allowed.Contains(stage))
                .Select(r => $"{f.Path}: {r.Name} ({Namespace(r.Stage!)})"))
            .Distinct();

        Assert.Empty(violations);
    }

    [Fact]
    public void Emitting_reads_the_plain_data_it_is_handed_and_calls_no_parser_or_rule()
    {
        var violations = Sources.Value.Files.Where(f => f.Folder == "Emitting")
            .SelectMany(f => Sources.Value.References(f)
                .Where(r => r.Stage is { } stage && HandedToEmitting.Contains(stage) && !IsPlainDataOrItsMember(r.Symbol!))
                .Select(r => $"{f.Path}: {r.Name}"))
            .Distinct();

        Assert.Empty(violations);
    }

    [Fact]
    public void Every_diagnostic_id_is_decided_in_one_rule_file()
    {
        var descriptors = Sources.Value.Compilation.GetTypeByMetadataName(Root + ".Diagnostics.DiagnosticDescriptors")!
            .GetMembers().OfType<IFieldSymbol>()
            .Where(f => f.Type.Name == nameof(DiagnosticDescriptor))
            .ToList();
        var deciders = Sources.Value.Files
            .Where(f => f.Folder != "Diagnostics")
            .SelectMany(f => Sources.Value.References(f).Select(r => (r.Symbol, f.Path)))
            .Where(r => r.Symbol is IFieldSymbol field && descriptors.Contains(field, SymbolEqualityComparer.Default))
            .GroupBy(r => r.Symbol!.Name, r => r.Path)
            .ToDictionary(g => g.Key, g => g.Distinct().Order(StringComparer.Ordinal).ToArray());

        Assert.All(descriptors, descriptor =>
        {
            var files = deciders.GetValueOrDefault(descriptor.Name, []);
            Assert.True(files.Length == 1 && files[0].StartsWith("Validation/", StringComparison.Ordinal), $"{descriptor.Name} is reported from [{string.Join(", ", files)}]");
        });
    }

    // The contracts linked from src/Shared keep the one namespace they have in every assembly that compiles them.
    private static string Namespace(string folder) => folder switch
    {
        "" => Root,
        "Shared" => "ReferralOS.Sdk.Shared",
        _ => Root + "." + folder.Replace('/', '.'),
    };

    private static IEnumerable<Reference> Usings(SourceFile file) =>
        file.Tree.GetCompilationUnitRoot(TestContext.Current.CancellationToken).Usings
            .Select(u => u.Name?.ToString() ?? string.Empty)
            .Where(name => name == Root || name.StartsWith(Root + ".", StringComparison.Ordinal))
            .Select(name => new Reference("using " + name, null, name == Root ? string.Empty : name[(Root.Length + 1)..].Split('.')[0]));

    /// <summary>A record or enum whose state is only strings, numbers, enums, equatable arrays and other such records, or a member of one.</summary>
    private static bool IsPlainDataOrItsMember(ISymbol symbol) => symbol switch
    {
        ITypeSymbol type => IsPlainData(type, []),
        IPropertySymbol or IFieldSymbol => IsPlainData(symbol.ContainingType, []),
        _ => false,
    };

    private static bool IsPlainData(ITypeSymbol type, HashSet<ITypeSymbol> visiting)
    {
        if (type.SpecialType is not SpecialType.None || type.TypeKind == TypeKind.Enum || !visiting.Add(type))
        {
            return true;
        }

        if (type is INamedTypeSymbol { IsGenericType: true } generic &&
            (generic.ConstructedFrom.SpecialType == SpecialType.System_Nullable_T || generic.Name == "EquatableArray"))
        {
            return IsPlainData(generic.TypeArguments[0], visiting);
        }

        return type.IsRecord && type.GetMembers().OfType<IFieldSymbol>().Where(f => !f.IsStatic).All(f => IsPlainData(f.Type, visiting));
    }

    /// <summary>A generator symbol a file names; <see cref="Stage"/> is the folder of its namespace ("" for the root).</summary>
    private sealed record Reference(string Name, ISymbol? Symbol, string? Stage);

    private sealed record SourceFile(string Path, string Folder, SyntaxTree Tree);

    /// <summary>The generator's C# sources, as its project compiles them (its folder, and any file it links in), bound together.</summary>
    private sealed class GeneratorSources
    {
        private GeneratorSources(IReadOnlyList<SourceFile> files, CSharpCompilation compilation)
        {
            Files = files;
            Compilation = compilation;
        }

        public IReadOnlyList<SourceFile> Files { get; }

        public CSharpCompilation Compilation { get; }

        public static GeneratorSources Load()
        {
            var project = Path.Combine(RepositoryRoot(), "src", Root);
            var own = Directory.EnumerateFiles(project, "*.cs", SearchOption.AllDirectories)
                .Where(path => !IsBuildOutput(Path.GetRelativePath(project, path)))
                .Select(path => (Path: path, Logical: Path.GetRelativePath(project, path).Replace('\\', '/')));
            var linked = XDocument.Load(Path.Combine(project, Root + ".csproj")).Descendants("Compile")
                .Where(c => c.Attribute("Include") is not null && c.Attribute("Link") is not null)
                .Select(c => (Path: Path.GetFullPath(Path.Combine(project, c.Attribute("Include")!.Value)), Logical: c.Attribute("Link")!.Value.Replace('\\', '/')));
            var files = own.Concat(linked)
                .OrderBy(f => f.Logical, StringComparer.Ordinal)
                .Select(f => new SourceFile(f.Logical, Folder(f.Logical), CSharpSyntaxTree.ParseText(File.ReadAllText(f.Path), CSharpParseOptions.Default, path: f.Logical)))
                .ToList();

            // The project's implicit usings, as the SDK generates them.
            var globalUsings = CSharpSyntaxTree.ParseText(
                "global using System; global using System.Collections.Generic; global using System.IO; global using System.Linq; global using System.Threading; global using System.Threading.Tasks;",
                CSharpParseOptions.Default);
            // The platform and Roslyn, not the built generator (its types would stand beside the sources' own).
            var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
                .Where(path => !Path.GetFileName(path).StartsWith("ReferralOS.", StringComparison.Ordinal))
                .Append(typeof(Compilation).Assembly.Location)
                .Append(typeof(CSharpCompilation).Assembly.Location)
                .Distinct()
                .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path));
            var compilation = CSharpCompilation.Create(
                "GeneratorSources",
                files.Select(f => f.Tree).Append(globalUsings),
                references,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
            return new GeneratorSources(files, compilation);
        }

        /// <summary>Every generator symbol the file names, in code and in doc comments.</summary>
        public IEnumerable<Reference> References(SourceFile file)
        {
            var model = Compilation.GetSemanticModel(file.Tree);
            foreach (var name in file.Tree.GetRoot().DescendantNodes(descendIntoTrivia: true).OfType<SimpleNameSyntax>())
            {
                var info = model.GetSymbolInfo(name);
                var symbol = info.Symbol ?? info.CandidateSymbols.FirstOrDefault();
                var type = symbol as INamedTypeSymbol ?? symbol?.ContainingType;
                if (symbol is null or INamespaceSymbol || type is null)
                {
                    continue;
                }

                var ns = type.ContainingNamespace.ToDisplayString();
                if (ns == Root || ns.StartsWith(Root + ".", StringComparison.Ordinal))
                {
                    yield return new Reference(symbol.ToDisplayString(), symbol is IMethodSymbol { ReducedFrom: { } extension } ? extension : symbol, ns == Root ? string.Empty : ns[(Root.Length + 1)..].Split('.')[0]);
                }
            }
        }

        private static string Folder(string logicalPath) => logicalPath.LastIndexOf('/') is > 0 and var slash ? logicalPath[..slash] : string.Empty;

        private static bool IsBuildOutput(string relativePath) =>
            relativePath.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar)[0] is "bin" or "obj";

        private static string RepositoryRoot()
        {
            var folder = new DirectoryInfo(AppContext.BaseDirectory);
            while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "ReferralOS.Sdk.sln")))
            {
                folder = folder.Parent;
            }

            return folder!.FullName;
        }
    }
}
