using Microsoft.CodeAnalysis;
using ReferralOS.Sdk.Generators.Pipeline;

namespace ReferralOS.Sdk.Generators.Diagnostics;

/// <summary>The text of one analyzer config file handed to the generator: an <c>.editorconfig</c> or a <c>.globalconfig</c>.</summary>
internal sealed record AnalyzerConfigText(string Path, string Text);

/// <summary>A <c>dotnet_diagnostic.ROSxxxx.severity</c> setting: the id, upper case, and what it asks for.</summary>
internal sealed record ConfiguredSeverity(string Id, ReportDiagnostic Severity);

/// <summary>The settings that apply to one file, global ones merged in.</summary>
internal sealed record FileSeverities(string Path, EquatableArray<ConfiguredSeverity> Settings);

/// <summary>
/// The severities the project configures for ROS ids, per file. The compiler applies an <c>.editorconfig</c>
/// severity only to diagnostics in source files (dotnet/roslyn#31916, #55921), never to one located in an
/// additional file such as a <c>.sql</c> migration; so the generator reads the <c>.editorconfig</c> files above each
/// file itself, with the compiler's own <see cref="AnalyzerConfigSet"/> (same sections, globs, <c>root = true</c> and
/// precedence), and reports each diagnostic with the severity configured for its file. A global config
/// (<c>.globalconfig</c>, <c>is_global = true</c>) outranks those sections, as the compiler ranks it for any
/// diagnostic outside a source file — the compiler then applies it, with <c>NoWarn</c> and
/// <c>WarningsAsErrors</c>, on top of what is reported.
/// </summary>
internal sealed record DiagnosticSeverities(EquatableArray<FileSeverities> Files, EquatableArray<ConfiguredSeverity> Global)
{
    private const string Prefix = "ROS";

    public static readonly DiagnosticSeverities None = new(EquatableArray<FileSeverities>.Empty, EquatableArray<ConfiguredSeverity>.Empty);

    /// <param name="configs">Every analyzer config file the project hands the generator.</param>
    /// <param name="paths">The files diagnostics may be located in.</param>
    public static DiagnosticSeverities Read(IReadOnlyList<AnalyzerConfigText> configs, IEnumerable<string> paths)
    {
        if (configs.Count == 0)
        {
            return None;
        }

        var set = AnalyzerConfigSet.Create(configs
            .GroupBy(c => c.Path, StringComparer.Ordinal)
            .Select(g => AnalyzerConfig.Parse(g.First().Text, g.Key))
            .ToList());
        var global = Settings(set.GlobalConfigOptions.TreeOptions);
        var files = new List<FileSeverities>();
        foreach (var path in paths.Distinct(StringComparer.Ordinal).OrderBy(p => p, StringComparer.Ordinal))
        {
            var merged = Settings(set.GetOptionsForSourcePath(path).TreeOptions).ToDictionary(s => s.Id, StringComparer.Ordinal);
            foreach (var setting in global)
            {
                merged[setting.Id] = setting;
            }

            if (merged.Count > 0)
            {
                files.Add(new FileSeverities(path, merged.Values.OrderBy(s => s.Id, StringComparer.Ordinal).ToEquatableArray()));
            }
        }

        return new DiagnosticSeverities(files.ToEquatableArray(), global.ToEquatableArray());
    }

    /// <summary>What the configuration asks for <paramref name="id"/> in the file at <paramref name="path"/>; <see cref="ReportDiagnostic.Default"/> when nothing is set.</summary>
    public ReportDiagnostic For(string? path, string id)
    {
        var settings = Global;
        if (path is not null)
        {
            foreach (var file in Files)
            {
                if (string.Equals(file.Path, path, StringComparison.Ordinal))
                {
                    settings = file.Settings;
                    break;
                }
            }
        }

        foreach (var setting in settings)
        {
            if (string.Equals(setting.Id, id, StringComparison.Ordinal))
            {
                return setting.Severity;
            }
        }

        return ReportDiagnostic.Default;
    }

    private static List<ConfiguredSeverity> Settings(IEnumerable<KeyValuePair<string, ReportDiagnostic>> options) =>
        options
            .Where(o => o.Key.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
            .Select(o => new ConfiguredSeverity(o.Key.ToUpperInvariant(), o.Value))
            .OrderBy(s => s.Id, StringComparer.Ordinal)
            .ToList();
}
