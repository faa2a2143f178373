using Microsoft.CodeAnalysis;

namespace ReferralOS.Sdk.Generators.Tests;

/// <summary>The schema this repository ships, under execution/, passes every rule.</summary>
public sealed class ShippedSchemaTests
{
    [Fact]
    public void The_shipped_migrations_and_seeds_pass_every_rule()
    {
        var outcome = GeneratorHarness.Run(GeneratorHarness.FolderTexts(GeneratorHarness.OutputFolder("execution")));

        Assert.Empty(outcome.Diagnostics.Select(d => $"{d.Id} {d.Location.GetLineSpan()}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}"));
    }

    [Theory]
    [InlineData(10)]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(15)]
    [InlineData(17)]
    public void The_shipped_migrations_pass_on_every_supported_PostgreSQL_version(int version)
    {
        var outcome = GeneratorHarness.Run(
            GeneratorHarness.FolderTexts(GeneratorHarness.OutputFolder("execution")),
            new Dictionary<string, string> { ["ReferralOsPostgresVersion"] = version.ToString(System.Globalization.CultureInfo.InvariantCulture) });

        Assert.DoesNotContain(outcome.Diagnostics, d => d.Severity >= DiagnosticSeverity.Info);
    }
}
