using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using ReferralOS.Cli.Files;
using ReferralOS.Cli.Linting;
using ReferralOS.Cli.Output;
using ReferralOS.Schema;
using ReferralOS.Sdk;

namespace ReferralOS.Cli.Compiling;

/// <summary>
/// The catalog a command applies: the ReferralOS schema compiled into the tool, or, given <c>--execution</c>, that
/// folder compiled now, in this process, exactly as a build compiles it — the build's generator writes the same C#,
/// which is compiled and loaded — so that a team that adopted the SDK can run the CLI on its own schema.
/// </summary>
internal static class ExecutionCatalog
{
    /// <summary>The namespace the compiled schema class is generated into.</summary>
    private const string Namespace = "ReferralOS.Cli.Execution";

    private const string SchemaClassName = "DatabaseSchema";

    /// <summary>The compiled-in ReferralOS schema when <paramref name="executionOption"/> is null, else that folder compiled.</summary>
    /// <param name="executionOption">The <c>--execution</c> folder, or null.</param>
    /// <param name="context">The console and environment.</param>
    /// <param name="output">Where the folder's errors and summary go.</param>
    /// <param name="cancellationToken">Stops the compile.</param>
    /// <param name="tolerated">Errors that do not stop the compile (explain runs exactly what the unsafe-operation lint refuses, to see whether it is right); null for none.</param>
    /// <exception cref="ExecutionFolderInvalidException">The folder has build errors; they have been printed.</exception>
    public static Task<MigrationCatalog> ResolveAsync(string? executionOption, CliContext context, CliOutput output, CancellationToken cancellationToken, Func<Diagnostic, bool>? tolerated = null) =>
        ResolveAsync(executionOption, lockText: null, context, output, cancellationToken, tolerated);

    /// <summary>As <see cref="ResolveAsync(string?, CliContext, CliOutput, CancellationToken, Func{Diagnostic, bool})"/>, compiling the folder with <paramref name="lockText"/> as its lock file (null for the file): a repair's, not written yet.</summary>
    /// <exception cref="ExecutionFolderInvalidException">The folder has build errors; they have been printed.</exception>
    public static async Task<MigrationCatalog> ResolveAsync(string? executionOption, string? lockText, CliContext context, CliOutput output, CancellationToken cancellationToken, Func<Diagnostic, bool>? tolerated = null)
    {
        if (executionOption is not { Length: > 0 })
        {
            return ReferralOsSchema.Catalog;
        }

        var folder = ExecutionFolder.Find(executionOption, context.WorkingDirectory);
        var files = await folder.ReadLintFilesAsync(cancellationToken, lockText).ConfigureAwait(false);
        var run = SqlLinter.Run(
            files,
            Sdk.Generators.GeneratorOptions.DefaultPostgresVersion,
            new Dictionary<string, string>
            {
                ["ReferralOsNamespace"] = Namespace,
                ["ReferralOsSchemaClassName"] = SchemaClassName,
                // Paths in the catalog read as in a build of the project the folder sits in: execution/migrations/….
                ["ProjectDir"] = Path.GetDirectoryName(folder.Path) ?? folder.Path,
            },
            cancellationToken);

        var errors = run.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error && tolerated?.Invoke(d) != true).ToArray();
        if (errors.Length > 0)
        {
            DiagnosticLines.Write(output, errors, context.WorkingDirectory);
            throw new ExecutionFolderInvalidException($"{folder.Path} does not build: {Wording.Count(errors.Length, "error")} (above), the build's own. Fix them where they point (referralos-db lint --execution {executionOption} lists warnings too); nothing was run.");
        }

        var catalog = Load(Compile(run.Generated, folder.Path, cancellationToken));
        var warnings = run.Diagnostics.Count(d => d.Severity == DiagnosticSeverity.Warning);
        output.Line($"Schema: {folder.Path}, compiled: {Wording.Count(catalog.Migrations.Count, "migration")}, {Wording.Count(catalog.Seeds.Count, "seed")}{(warnings > 0 ? $" ({Wording.Count(warnings, "warning")}: referralos-db lint lists them)" : string.Empty)}.");
        return catalog;
    }

    /// <summary>Compiles the generated C# against the runtime this process runs on.</summary>
    private static byte[] Compile(ImmutableArray<SyntaxTree> generated, string folder, CancellationToken cancellationToken)
    {
        var references = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append(typeof(MigrationCatalog).Assembly.Location)
            .Append(typeof(Npgsql.NpgsqlDataSource).Assembly.Location)
            .Where(path => path.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .Select(path => MetadataReference.CreateFromFile(path));
        var compilation = CSharpCompilation.Create(
            "ReferralOS.Cli.Execution." + Guid.NewGuid().ToString("N"),
            generated,
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, optimizationLevel: OptimizationLevel.Release));
        using var assembly = new MemoryStream();
        var emitted = compilation.Emit(assembly, cancellationToken: cancellationToken);
        if (!emitted.Success)
        {
            var first = emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(3).Select(d => d.ToString());
            throw new ExecutionFolderInvalidException($"The C# the generator wrote for {folder} does not compile, which is a bug in ReferralOS.Sdk, not in your SQL: {string.Join("; ", first)}");
        }

        return assembly.ToArray();
    }

    /// <summary>
    /// Loads the compiled schema in a context of its own (collectible, so a process that compiles many folders does
    /// not keep them all), whose ReferralOS.Sdk and Npgsql are this process's own, and returns its catalog.
    /// </summary>
    private static MigrationCatalog Load(byte[] image)
    {
        var context = new AssemblyLoadContext("referralos-db --execution", isCollectible: true);
        using var stream = new MemoryStream(image);
        var assembly = context.LoadFromStream(stream);
        var schema = assembly.GetType(Namespace + "." + SchemaClassName, throwOnError: true)!;
        var property = schema.GetProperty("Catalog", BindingFlags.Public | BindingFlags.Static)
            ?? throw new InvalidOperationException($"The generated {SchemaClassName} class has no Catalog property.");
        return (MigrationCatalog)property.GetValue(null)!;
    }
}
