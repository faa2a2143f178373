using System.Collections;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using ReferralOS.Sdk.Generators.Integrity;
using ReferralOS.Sdk.Generators.Pipeline;

namespace ReferralOS.Sdk.Generators.Tests;

/// <summary>
/// The pipeline is incremental by construction: an edit re-runs only what depends on it, and no step holds a
/// compiler object that would defeat caching (or keep a compilation alive in the IDE).
/// </summary>
public sealed class IncrementalCachingTests
{
    /// <summary>Every step the pipeline names, read from <see cref="TrackingNames"/> so a new step cannot be forgotten here.</summary>
    private static readonly string[] AllSteps = typeof(TrackingNames)
        .GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
        .Where(f => f.IsLiteral)
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToArray();

    [Fact]
    public void An_unrelated_cs_edit_re_runs_nothing() => AssertAnUnrelatedCsEditReRunsNothing(ExecutionFiles());

    /// <summary>
    /// At scale: 1,000 migrations here, 10,000 in the benchmarks (docs/benchmarks.md, "Generator"), where a re-run
    /// after an unrelated edit costs a hundredth of a full run. Roslyn's step tracking, which this test needs, grows
    /// faster than the history: at 10,000 files the tracked run alone took minutes.
    /// </summary>
    [Fact]
    public void An_unrelated_cs_edit_re_runs_nothing_in_a_history_of_a_thousand_migrations() =>
        AssertAnUnrelatedCsEditReRunsNothing(ManyMigrations(1_000));

    private static void AssertAnUnrelatedCsEditReRunsNothing(IEnumerable<AdditionalText> files)
    {
        var compilation = GeneratorHarness.Compilation("namespace Fixture; public sealed class A { }");
        var driver = GeneratorHarness.Driver(files).RunGenerators(compilation, TestContext.Current.CancellationToken);

        var edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("namespace Fixture; public sealed class B { }", path: "/project/B.cs", cancellationToken: TestContext.Current.CancellationToken));
        var result = driver.RunGenerators(edited, TestContext.Current.CancellationToken).GetRunResult().Results.Single();

        foreach (var name in AllSteps)
        {
            Assert.True(result.TrackedSteps.ContainsKey(name), $"step {name} did not run");
        }

        foreach (var (name, steps) in result.TrackedSteps)
        {
            foreach (var output in steps.SelectMany(s => s.Outputs))
            {
                Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{name} re-ran: {output.Reason}");
            }
        }

        foreach (var output in result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs))
        {
            Assert.Equal(IncrementalStepRunReason.Cached, output.Reason);
        }
    }

    [Fact]
    public void Editing_one_sql_file_re_parses_only_that_file()
    {
        var files = ExecutionFiles().ToList();
        var compilation = GeneratorHarness.Compilation("namespace Fixture;");
        var driver = GeneratorHarness.Driver(files).RunGenerators(compilation, TestContext.Current.CancellationToken);

        var original = files.Single(f => f.Path.EndsWith("004_create_referral_codes.sql", StringComparison.Ordinal));
        var edited = GeneratorHarness.Text("execution/migrations/004_create_referral_codes.sql", original.GetText(TestContext.Current.CancellationToken)! + "\n-- a trailing comment\n");
        var result = driver.ReplaceAdditionalText(original, edited).RunGenerators(compilation, TestContext.Current.CancellationToken).GetRunResult().Results.Single();

        var parsed = result.TrackedSteps[TrackingNames.CheckedFiles].SelectMany(s => s.Outputs).ToList();
        Assert.Equal(files.Count(f => f.Path.EndsWith(".sql", StringComparison.Ordinal)), parsed.Count);
        var reparsed = Assert.Single(parsed, o => o.Reason != IncrementalStepRunReason.Cached);
        Assert.Equal(IncrementalStepRunReason.Modified, reparsed.Reason);
        Assert.Contains("004_create_referral_codes.sql", ((dynamic)reparsed.Value).Value.File.Path as string, StringComparison.Ordinal);
        Assert.All(result.TrackedSteps[TrackingNames.LockFile].SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    [Fact]
    public void Releasing_a_migration_re_runs_only_the_lock_steps_and_no_emitter()
    {
        var files = ExecutionFiles().ToList();
        var compilation = GeneratorHarness.Compilation("namespace Fixture;");
        var driver = GeneratorHarness.Driver(files).RunGenerators(compilation, TestContext.Current.CancellationToken);

        var original = files.Single(f => f.Path.EndsWith("migrations.lock", StringComparison.Ordinal));
        var migrations = files.Where(f => f.Path.Contains("/migrations/", StringComparison.Ordinal))
            .Select(f => MigrationChecksum.FromFile(f.Path, f.GetText(TestContext.Current.CancellationToken)!.ToString())!)
            .ToList();
        var oneFewer = GeneratorHarness.Text("execution/migrations.lock", MigrationLockFile.Write(migrations.Take(migrations.Count - 1)));
        var result = driver.ReplaceAdditionalText(original, oneFewer).RunGenerators(compilation, TestContext.Current.CancellationToken).GetRunResult().Results.Single();

        Assert.Equal(IncrementalStepRunReason.Modified, Assert.Single(result.TrackedSteps[TrackingNames.ReleasedMigrations].SelectMany(s => s.Outputs)).Reason);
        AssertNotRerun(result, TrackingNames.CatalogEmitModel, TrackingNames.SeedsEmitModel);
        AssertOnlyRerun(result, TrackingNames.LockFile, TrackingNames.LockCheck, TrackingNames.ReleasedMigrations);
        Assert.Contains(result.Diagnostics, d => d.Id == "ROS0023");
    }

    [Fact]
    public void Editing_an_editorconfig_changes_only_the_severities()
    {
        var files = ExecutionFiles().Append(GeneratorHarness.Text(".editorconfig", "root = true\n")).ToList();
        var compilation = GeneratorHarness.Compilation("namespace Fixture;");
        var driver = GeneratorHarness.Driver(files).RunGenerators(compilation, TestContext.Current.CancellationToken);

        var original = files[^1];
        var edited = GeneratorHarness.Text(".editorconfig", "root = true\n\n[*]\ndotnet_diagnostic.ROS0023.severity = none\n");
        var result = driver.ReplaceAdditionalText(original, edited).RunGenerators(compilation, TestContext.Current.CancellationToken).GetRunResult().Results.Single();

        Assert.Equal(IncrementalStepRunReason.Modified, Assert.Single(result.TrackedSteps[TrackingNames.Severities].SelectMany(s => s.Outputs)).Reason);
        AssertOnlyRerun(result, TrackingNames.AnalyzerConfigFiles, TrackingNames.Severities);
    }

    [Fact]
    public void Renaming_the_generated_class_re_checks_no_file_and_re_runs_only_its_emitter()
    {
        var compilation = GeneratorHarness.Compilation("namespace Fixture;");
        var driver = GeneratorHarness.Driver(ExecutionFiles()).RunGenerators(compilation, TestContext.Current.CancellationToken);

        var renamed = GeneratorHarness.Options(new Dictionary<string, string> { ["ReferralOsSchemaClassName"] = "RenamedSchema" });
        var result = driver.WithUpdatedAnalyzerConfigOptions(renamed).RunGenerators(compilation, TestContext.Current.CancellationToken).GetRunResult().Results.Single();

        Assert.Equal(IncrementalStepRunReason.Modified, Assert.Single(result.TrackedSteps[TrackingNames.CatalogEmitModel].SelectMany(s => s.Outputs)).Reason);
        AssertOnlyRerun(result, TrackingNames.Options, TrackingNames.CatalogEmitModel);
        Assert.Contains(result.GeneratedSources, s => s.HintName == "RenamedSchema.g.cs");
    }

    [Fact]
    public void Declaring_another_PostgreSQL_version_re_checks_the_files_and_re_runs_no_emitter()
    {
        var compilation = GeneratorHarness.Compilation("namespace Fixture;");
        var driver = GeneratorHarness.Driver(ExecutionFiles()).RunGenerators(compilation, TestContext.Current.CancellationToken);

        var older = GeneratorHarness.Options(new Dictionary<string, string> { ["ReferralOsPostgresVersion"] = "11" });
        var result = driver.WithUpdatedAnalyzerConfigOptions(older).RunGenerators(compilation, TestContext.Current.CancellationToken).GetRunResult().Results.Single();

        Assert.All(result.TrackedSteps[TrackingNames.CheckedFiles].SelectMany(s => s.Outputs), o => Assert.NotEqual(IncrementalStepRunReason.Cached, o.Reason));
        AssertNotRerun(result, TrackingNames.CatalogModel, TrackingNames.CatalogEmitModel, TrackingNames.SeedsEmitModel);
    }

    [Fact]
    public void No_step_output_holds_a_compiler_object()
    {
        var compilation = GeneratorHarness.Compilation("namespace Fixture;");
        var result = GeneratorHarness.Driver(ExecutionFiles()).RunGenerators(compilation, TestContext.Current.CancellationToken).GetRunResult().Results.Single();

        var visited = new HashSet<object>(ReferenceEqualityComparer.Instance);
        foreach (var (name, steps) in result.TrackedSteps)
        {
            foreach (var output in steps.SelectMany(s => s.Outputs))
            {
                AssertHoldsNoCompilerObject(output.Value, name, visited);
            }
        }
    }

    /// <summary>Asserts that of every step (<see cref="AllSteps"/>) only <paramref name="steps"/> may have re-run.</summary>
    private static void AssertOnlyRerun(GeneratorRunResult result, params string[] steps) =>
        AssertNotRerun(result, AllSteps.Except(steps, StringComparer.Ordinal).ToArray());

    private static void AssertNotRerun(GeneratorRunResult result, params string[] steps)
    {
        foreach (var name in steps)
        {
            foreach (var output in result.TrackedSteps[name].SelectMany(s => s.Outputs))
            {
                Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{name} re-ran: {output.Reason}");
            }
        }
    }

    private static IEnumerable<AdditionalText> ExecutionFiles() => GeneratorHarness.FolderTexts(GeneratorHarness.OutputFolder("execution"));

    /// <summary>A long released history: <paramref name="count"/> migrations, each creating a table, and their lock file.</summary>
    private static List<AdditionalText> ManyMigrations(int count)
    {
        var files = Enumerable.Range(1, count).Select(number =>
        {
            var table = $"t{number:00000}";
            return GeneratorHarness.Text(
                $"execution/migrations/{number:00000}_create_{table}.sql",
                $"-- Migration: {number:00000}_create_{table}\n-- Description: Create {table}.\n\n-- Up Migration\nCREATE TABLE {table} (id bigint PRIMARY KEY, name text NOT NULL);\n");
        }).ToList();
        var released = files.Select(f => MigrationChecksum.FromFile(f.Path, f.GetText(TestContext.Current.CancellationToken)!.ToString())!);
        files.Add(GeneratorHarness.Text("execution/migrations.lock", MigrationLockFile.Write(released)));
        return files;
    }

    /// <summary>Walks an object graph and fails on any symbol, syntax, compilation or location it reaches.</summary>
    private static void AssertHoldsNoCompilerObject(object? node, string step, HashSet<object> visited)
    {
        if (node is null || node is string || node.GetType().IsPrimitive || node.GetType().IsEnum || !visited.Add(node))
        {
            return;
        }

        var type = node.GetType();
        Assert.False(
            node is Compilation or ISymbol or SyntaxNode or SyntaxTree or SemanticModel or Location,
            $"step {step} holds a {type.FullName}");

        if (node is IEnumerable items)
        {
            foreach (var item in items)
            {
                AssertHoldsNoCompilerObject(item, step, visited);
            }
        }

        foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            AssertHoldsNoCompilerObject(field.GetValue(node), step, visited);
        }
    }
}
