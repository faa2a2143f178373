using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using ReferralOS.Sdk.Generators.Diagnostics;
using ReferralOS.Sdk.Generators.Emitting;
using ReferralOS.Sdk.Generators.Integrity;
using ReferralOS.Sdk.Generators.Parsing;
using ReferralOS.Sdk.Generators.Pipeline;
using ReferralOS.Sdk.Generators.Validation;
using ReferralOS.Sdk.Shared;

namespace ReferralOS.Sdk.Generators;

/// <summary>
/// Compiles the .sql AdditionalFiles under execution/ into a typed migration catalog and seed constants. The stages
/// import one way: <c>Sql/</c> tokens and statements, <c>Parsing/</c> the facts of each file, <c>Validation/</c> every
/// rule, <c>Emitting/</c> the C# from its own models; this class only wires them. Each file is parsed and checked on
/// its own (an edit re-runs only that file); the cross-file stages see plain data only, and diagnostics travel beside
/// the models (<see cref="Result{T}"/>), so what only changes a diagnostic re-runs no emitter.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class MigrationCatalogGenerator : IIncrementalGenerator
{
    /// <summary>The AdditionalFiles item metadata that says what a file is: Migration or Seed.</summary>
    public const string KindMetadata = "build_metadata.AdditionalFiles." + ExecutionLayout.KindMetadata;

    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var options = context.AnalyzerConfigOptionsProvider
            .Select(static (provider, _) => ReadOptions(provider.GlobalOptions))
            .WithTrackingName(TrackingNames.Options);

        var inputs = context.AdditionalTextsProvider
            .Combine(context.AnalyzerConfigOptionsProvider)
            .Select(static (pair, cancellationToken) => ReadInput(pair.Left, pair.Right, cancellationToken))
            .Where(static input => input is not null)
            .Select(static (input, _) => input!)
            .WithTrackingName(TrackingNames.SqlInputs);

        // Only the PostgreSQL version reaches the rules, so renaming a generated class re-checks nothing.
        var postgresVersion = options.Select(static (o, _) => o.PostgresVersion);
        var checkedFiles = inputs
            .Combine(postgresVersion)
            .Select(static (pair, _) => FileValidation.Check(SqlFileParser.Parse(pair.Left), pair.Right))
            .WithTrackingName(TrackingNames.CheckedFiles);
        var fileDiagnostics = checkedFiles
            .Select(static (file, _) => file.Diagnostics)
            .WithTrackingName(TrackingNames.FileDiagnostics);
        var files = checkedFiles
            .Select(static (file, _) => file.Value)
            .WithTrackingName(TrackingNames.Files);

        var catalog = files.Collect()
            .Combine(postgresVersion)
            .Select(static (pair, _) => pair.Left.IsEmpty ? null : CatalogValidation.Check(pair.Left, pair.Right))
            .WithTrackingName(TrackingNames.Catalog);
        var catalogModel = catalog
            .Select(static (result, _) => result?.Value)
            .WithTrackingName(TrackingNames.CatalogModel);

        var lockFile = context.AdditionalTextsProvider
            .Where(static file => SqlFileName.FromPath(file.Path).Equals(MigrationLockFile.FileName, StringComparison.OrdinalIgnoreCase))
            .Select(static (file, cancellationToken) => file.GetText(cancellationToken) is { } text ? new LockInput(file.Path, text.ToString()) : null)
            .Collect()
            .Select(static (locks, _) => locks.FirstOrDefault(l => l is not null))
            .WithTrackingName(TrackingNames.LockFile);

        // The lock stands beside the catalog: releasing a migration changes which diagnostics are reported, not
        // what is emitted.
        var lockCheck = catalogModel
            .Combine(lockFile)
            .Select(static (pair, _) => LockRules.Check(pair.Left?.Migrations ?? EquatableArray<SqlFileModel>.Empty, pair.Right))
            .WithTrackingName(TrackingNames.LockCheck);
        var released = lockCheck
            .Select(static (check, _) => check.Value)
            .WithTrackingName(TrackingNames.ReleasedMigrations);

        var analyzerConfigs = context.AdditionalTextsProvider
            .Combine(context.AnalyzerConfigOptionsProvider)
            .Where(static pair => IsAnalyzerConfig(pair.Left, pair.Right))
            .Select(static (pair, cancellationToken) => pair.Left.GetText(cancellationToken) is { } text ? new AnalyzerConfigText(pair.Left.Path, text.ToString()) : null)
            .Where(static config => config is not null)
            .Select(static (config, _) => config!)
            .Collect()
            .Select(static (configs, _) => configs.OrderBy(c => c.Path, StringComparer.Ordinal).ToEquatableArray())
            .WithTrackingName(TrackingNames.AnalyzerConfigFiles);

        // Paths alone, so editing a file's text leaves the severities cached.
        var diagnosticPaths = inputs.Select(static (input, _) => input.Path).Collect()
            .Combine(lockFile.Select(static (l, _) => l?.Path));
        var severities = diagnosticPaths
            .Combine(analyzerConfigs)
            .Select(static (pair, _) => DiagnosticSeverities.Read(pair.Right, pair.Left.Right is { } lockPath ? pair.Left.Left.Add(lockPath) : pair.Left.Left))
            .WithTrackingName(TrackingNames.Severities);

        // Every diagnostic is reported by DiagnosticReporter: each file's own as it changes, then the cross-file ones.
        context.RegisterSourceOutput(
            fileDiagnostics.Combine(released).Combine(severities),
            static (spc, input) => DiagnosticReporter.Report(spc, input.Left.Left, input.Left.Right, input.Right));

        context.RegisterSourceOutput(
            catalog.Combine(lockCheck).Combine(severities),
            static (spc, input) =>
            {
                var ((result, check), configured) = input;
                DiagnosticReporter.Report(spc, result?.Diagnostics ?? EquatableArray<DiagnosticInfo>.Empty, check.Value, configured);
                DiagnosticReporter.Report(spc, check.Diagnostics, check.Value, configured);
            });

        // Each emitter has its own model, made from the validated catalog and the names the project asks for.
        var catalogEmitModel = catalogModel
            .Combine(options)
            .Select(static (pair, _) => pair.Left is null ? null : CatalogEmitModel.From(pair.Left, pair.Right.Namespace, pair.Right.SchemaClassName))
            .WithTrackingName(TrackingNames.CatalogEmitModel);
        var seedsEmitModel = catalogModel
            .Combine(options)
            .Select(static (pair, _) => pair.Left is null ? null : SeedsEmitModel.From(pair.Left, pair.Right.Namespace, pair.Right.SeedsClassName))
            .WithTrackingName(TrackingNames.SeedsEmitModel);

        context.RegisterSourceOutput(catalogEmitModel, static (spc, model) =>
        {
            if (model is not null)
            {
                spc.AddSource(model.ClassName + ".g.cs", SourceText.From(CatalogEmitter.Emit(model), System.Text.Encoding.UTF8));
            }
        });
        context.RegisterSourceOutput(seedsEmitModel, static (spc, model) =>
        {
            if (model is not null)
            {
                spc.AddSource(model.ClassName + ".g.cs", SourceText.From(SeedsEmitter.Emit(model), System.Text.Encoding.UTF8));
            }
        });
    }

    /// <summary>
    /// An <c>.editorconfig</c> or <c>.globalconfig</c> the project hands the generator (the buildTransitive targets add
    /// the <c>.editorconfig</c> files above the .sql files, with kind AnalyzerConfig), whose ROS severities it applies.
    /// </summary>
    private static bool IsAnalyzerConfig(AdditionalText file, AnalyzerConfigOptionsProvider provider)
    {
        if (provider.GetOptions(file).TryGetValue(KindMetadata, out var kind) && !string.IsNullOrWhiteSpace(kind))
        {
            return string.Equals(kind.Trim(), ExecutionLayout.AnalyzerConfigKind, StringComparison.OrdinalIgnoreCase);
        }

        var name = SqlFileName.FromPath(file.Path);
        return name.Equals(".editorconfig", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".globalconfig", StringComparison.OrdinalIgnoreCase);
    }

    private static SqlInput? ReadInput(AdditionalText file, AnalyzerConfigOptionsProvider provider, CancellationToken cancellationToken)
    {
        var path = file.Path.Replace('\\', '/');
        if (!SqlFileName.IsSqlFile(path))
        {
            return null;
        }

        if (Kind(provider.GetOptions(file), path) is not { } kind)
        {
            return null;
        }

        provider.GlobalOptions.TryGetValue("build_property.ProjectDir", out var projectDir);
        var relativePath = RelativePath(path, projectDir);
        if (file.GetText(cancellationToken) is not { } text)
        {
            return new SqlInput(file.Path, relativePath, kind, string.Empty) { Unreadable = true };
        }

        var content = text.ToString();
        var (undecodable, detail) = SqlFileText.FindUndecodable(text, content);
        return new SqlInput(file.Path, relativePath, kind, content) { UndecodableAt = undecodable, UndecodableDetail = detail };
    }

    private static SqlFileKind? Kind(AnalyzerConfigOptions fileOptions, string path)
    {
        // Without the metadata (a hand-written AdditionalFiles item), the folder says what the file is.
        var name = fileOptions.TryGetValue(KindMetadata, out var kind) && !string.IsNullOrWhiteSpace(kind) ? kind.Trim() : ExecutionLayout.KindByFolder(path);
        return string.Equals(name, ExecutionLayout.MigrationKind, StringComparison.OrdinalIgnoreCase) ? SqlFileKind.Migration
            : string.Equals(name, ExecutionLayout.SeedKind, StringComparison.OrdinalIgnoreCase) ? SqlFileKind.Seed
            : null;
    }

    /// <summary>The path relative to the project, with forward slashes, so generated code is the same on every machine.</summary>
    private static string RelativePath(string path, string? projectDir)
    {
        if (!string.IsNullOrEmpty(projectDir))
        {
            var root = projectDir!.Replace('\\', '/').TrimEnd('/') + "/";
            if (path.StartsWith(root, StringComparison.OrdinalIgnoreCase))
            {
                return path.Substring(root.Length);
            }
        }

        var execution = path.LastIndexOf("/execution/", StringComparison.OrdinalIgnoreCase);
        return execution >= 0 ? path.Substring(execution + 1) : SqlFileName.FromPath(path);
    }

    private static GeneratorOptions ReadOptions(AnalyzerConfigOptions options)
    {
        string? Property(string name) =>
            options.TryGetValue("build_property." + name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

        var version = Property("ReferralOsPostgresVersion") is { } text && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : GeneratorOptions.DefaultPostgresVersion;
        return new GeneratorOptions(
            Property("ReferralOsNamespace") ?? Property("RootNamespace") ?? "ReferralOS.Generated",
            Property("ReferralOsSchemaClassName") ?? GeneratorOptions.DefaultSchemaClassName,
            Property("ReferralOsSeedsClassName") ?? GeneratorOptions.DefaultSeedsClassName,
            version);
    }
}
