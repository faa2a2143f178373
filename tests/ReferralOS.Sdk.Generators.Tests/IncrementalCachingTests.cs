using System.Collections;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using ReferralOS.Sdk.Generators.Pipeline;

namespace ReferralOS.Sdk.Generators.Tests;

/// <summary>
/// The pipeline is incremental by construction: an edit re-runs only what depends on it, and no step holds a
/// compiler object that would defeat caching (or keep a compilation alive in the IDE).
/// </summary>
public sealed class IncrementalCachingTests
{
    private static readonly string[] AllSteps =
    [
        TrackingNames.SqlInputs, TrackingNames.ParsedFiles, TrackingNames.LockFile, TrackingNames.Options, TrackingNames.Catalogue,
    ];

    [Fact]
    public void An_unrelated_cs_edit_re_runs_nothing()
    {
        var compilation = GeneratorHarness.Compilation("namespace Fixture; public sealed class A { }");
        var driver = GeneratorHarness.Driver(ExecutionFiles()).RunGenerators(compilation, TestContext.Current.CancellationToken);

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

        var parsed = result.TrackedSteps[TrackingNames.ParsedFiles].SelectMany(s => s.Outputs).ToList();
        Assert.Equal(files.Count(f => f.Path.EndsWith(".sql", StringComparison.Ordinal)), parsed.Count);
        var reparsed = Assert.Single(parsed, o => o.Reason != IncrementalStepRunReason.Cached);
        Assert.Equal(IncrementalStepRunReason.Modified, reparsed.Reason);
        Assert.Contains("004_create_referral_codes.sql", ((dynamic)reparsed.Value).Path as string, StringComparison.Ordinal);
        Assert.All(result.TrackedSteps[TrackingNames.LockFile].SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
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

    private static IEnumerable<AdditionalText> ExecutionFiles() => GeneratorHarness.FolderTexts(GeneratorHarness.OutputFolder("execution"));

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
