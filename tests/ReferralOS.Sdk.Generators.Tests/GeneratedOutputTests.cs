using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis.Text;

namespace ReferralOS.Sdk.Generators.Tests;

/// <summary>
/// Golden files: Baselines/*.g.cs.txt are exactly what a user gets. Run with REFERRALOS_UPDATE_BASELINES=1 to
/// rewrite them after an intended change, and review the diff.
/// </summary>
public sealed class GeneratedOutputTests
{
    private static readonly Dictionary<string, string> FixtureProperties = new()
    {
        ["build_property.RootNamespace"] = "Fixture",
        ["build_property.ReferralOsSchemaClassName"] = "FixtureSchema",
    };

    private static readonly Dictionary<string, string> ReferralOsProperties = new()
    {
        ["build_property.RootNamespace"] = "ReferralOS.Schema",
        ["build_property.ReferralOsSchemaClassName"] = "ReferralOsSchema",
    };

    [Fact]
    public Task Fixture_schema_generates_the_baseline_catalog_and_seeds() => VerifyAsync(
        "Fixture",
        GeneratorHarness.OutputFolder("Fixtures/execution"),
        FixtureProperties,
        ["FixtureSchema.g.cs", "Seeds.g.cs"]);

    [Fact]
    public Task Execution_folder_generates_the_baseline_catalog_and_seeds() => VerifyAsync(
        "ReferralOs",
        GeneratorHarness.OutputFolder("execution"),
        ReferralOsProperties,
        ["ReferralOsSchema.g.cs", "Seeds.g.cs"]);

    [Fact]
    public void Generated_code_for_the_execution_folder_compiles_against_the_runtime()
    {
        var outcome = GeneratorHarness.Run(
            GeneratorHarness.FolderTexts(GeneratorHarness.OutputFolder("execution")),
            new Dictionary<string, string> { ["ReferralOsSchemaClassName"] = "ReferralOsSchema" });

        Assert.Empty(outcome.Output.GetDiagnostics(TestContext.Current.CancellationToken).Where(d => d.Severity >= DiagnosticSeverity.Warning));
    }

    [Fact]
    public void Seed_constants_are_typed_from_the_columns_the_migrations_create()
    {
        var seeds = GeneratorHarness.Run(GeneratorHarness.FolderTexts(GeneratorHarness.OutputFolder("execution"))).Source("Seeds.g.cs");

        Assert.Contains("public static readonly global::System.Guid Id = new global::System.Guid(\"00000000-0000-0000-0000-000000000101\");", seeds, StringComparison.Ordinal);
        Assert.Contains("public const string Code = \"TESTREF001\";", seeds, StringComparison.Ordinal);
        Assert.Contains("public const string Slug = \"quoteos\";", seeds, StringComparison.Ordinal);
        Assert.Contains("public const bool IsActive = true;", seeds, StringComparison.Ordinal);
        Assert.Contains("public const long AmountMinor = 200L;", seeds, StringComparison.Ordinal);
        foreach (var row in new[] { "DefaultTenant", "TestReferrer", "TestReferred", "TestReferrerCode" })
        {
            Assert.Contains("public static class " + row, seeds, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("class", "Admin")]
    [InlineData("2fast", "Admin")]
    [InlineData("Root", "Root")]
    public void A_seed_row_name_that_is_not_a_CSharp_type_name_falls_back_to_the_seed_name(string rowName, string className)
    {
        var seed = SqlFiles.Seed(1, "admin", $"-- Seed-Row: {rowName}\nINSERT INTO accounts (id) VALUES ('6f1c2a52-0000-4000-8000-000000000001') ON CONFLICT DO NOTHING;");

        var outcome = GeneratorHarness.Run(SqlFiles.BaseSchema, seed);

        Assert.Contains($"public static class {className}\n", outcome.Source("Seeds.g.cs"), StringComparison.Ordinal);
        Assert.Empty(outcome.Output.GetDiagnostics(TestContext.Current.CancellationToken).Where(d => d.Severity == DiagnosticSeverity.Error));
    }

    private static async Task VerifyAsync(string name, string executionFolder, Dictionary<string, string> properties, string[] hintNames, [CallerFilePath] string thisFile = "")
    {
        var files = GeneratorHarness.FolderTexts(executionFolder).ToList();
        var baselines = Path.Combine(Path.GetDirectoryName(thisFile)!, "Baselines");
        if (Environment.GetEnvironmentVariable("REFERRALOS_UPDATE_BASELINES") == "1")
        {
            var outcome = GeneratorHarness.Run(files, properties.ToDictionary(p => p.Key["build_property.".Length..], p => p.Value));
            foreach (var hint in hintNames)
            {
                await File.WriteAllTextAsync(Path.Combine(baselines, $"{name}.{hint}.txt"), outcome.Source(hint));
            }
        }

        var test = new CSharpSourceGeneratorTest<MigrationCatalogGenerator, DefaultVerifier>
        {
            ReferenceAssemblies = ReferenceAssemblies.Net.Net80,

            // The generated code targets the runtime (net10.0), which these reference assemblies lack;
            // Generated_code_for_the_execution_folder_compiles_against_the_runtime proves it compiles.
            CompilerDiagnostics = CompilerDiagnostics.None,
        };
        // SQL is full of what the library reads as markup ($$ is a position marker to it).
        test.TestState.MarkupHandling = MarkupMode.None;
        test.TestState.Sources.Add(("/project/Code0.cs", "namespace Fixture;"));
        foreach (var file in files)
        {
            test.TestState.AdditionalFiles.Add((file.Path, file.GetText()!));
        }

        test.TestState.AnalyzerConfigFiles.Add(("/.globalconfig", "is_global = true\nbuild_property.ProjectDir = /project/\n" +
            string.Join("\n", properties.Select(p => $"{p.Key} = {p.Value}")) + "\n"));
        foreach (var hint in hintNames)
        {
            var expected = await File.ReadAllTextAsync(GeneratorHarness.OutputFolder(Path.Combine("Baselines", $"{name}.{hint}.txt")));
            if (Environment.GetEnvironmentVariable("REFERRALOS_UPDATE_BASELINES") == "1")
            {
                expected = await File.ReadAllTextAsync(Path.Combine(baselines, $"{name}.{hint}.txt"));
            }

            test.TestState.GeneratedSources.Add((typeof(MigrationCatalogGenerator), hint, SourceText.From(expected, Encoding.UTF8)));
        }

        test.TestState.ExpectedDiagnostics.AddRange(ExpectedDiagnostics(name));
        await test.RunAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>The fixture's lock releases 001 only, so 002 is reported as not released yet, on its first line.</summary>
    private static IEnumerable<DiagnosticResult> ExpectedDiagnostics(string name) => name switch
    {
        "Fixture" =>
        [
            new DiagnosticResult("ROS0023", DiagnosticSeverity.Info)
                .WithSpan("/project/execution/migrations/002_add_account_nickname.sql", 1, 1, 1, 39)
                .WithArguments("002_add_account_nickname", "b879a09d35e4ca4b7aee0c119423cd6bc0776ff7d8c344566d4ed8b27e22f91f"),
        ],
        _ => [],
    };
}
