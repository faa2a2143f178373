using System.IO.Compression;
using System.Xml.Linq;

namespace ReferralOS.Packaging.Tests;

/// <summary>
/// The packages, packed once per test run from this repository in Release, into a folder feed under the
/// temp folder, with a version of this run's own so no cached package of the same version can stand in for them.
/// Child restores use <see cref="PackagesFolder"/>, an isolated NuGet packages folder, and find the packages the
/// repository already restored through the user's packages folder as a read-only fallback.
/// </summary>
public sealed class PackageFeed : IAsyncLifetime
{
    /// <summary>The packable projects, in the order they are packed: the tool and the adapters first build the rest.</summary>
    private static readonly string[] Projects =
    [
        "ReferralOS.Cli",
        "ReferralOS.Sdk.Testing.Xunit",
        "ReferralOS.Sdk.Testing.NUnit",
        "ReferralOS.Sdk.Testing.MSTest",
        "ReferralOS.Sdk.Testing",
        "ReferralOS.Sdk.Local",
        "ReferralOS.Sdk",
        "ReferralOS.Schema",
    ];

    /// <summary>The id of every package in the feed: each project's name, but the tool's command name for the tool.</summary>
    public static IReadOnlyList<string> PackageIds { get; } = Projects.Select(project => project == "ReferralOS.Cli" ? "referralos-db" : project).ToArray();

    /// <summary>The folder this run owns: the feed, the packages folder, consumers and tools all live under it.</summary>
    public string Root { get; } = Path.Combine(Path.GetTempPath(), $"referralos-packaging-{Guid.NewGuid():N}"[..34]);

    /// <summary>The local folder feed holding the .nupkg and .snupkg files.</summary>
    public string Folder => Path.Combine(Root, "feed");

    /// <summary>The isolated NuGet packages folder for every restore the tests run.</summary>
    public string PackagesFolder => Path.Combine(Root, "packages");

    /// <summary>The version the packages were packed with.</summary>
    public string Version { get; } = $"0.1.0-packtest.t{Guid.NewGuid():N}"[..30];

    /// <summary>How long packing took, for the test log.</summary>
    public TimeSpan PackDuration { get; private set; }

    /// <summary>The repository this test run was built from.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>The environment every child dotnet process gets: the isolated packages folder.</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string> { ["NUGET_PACKAGES"] = PackagesFolder };

    /// <summary>A package's file in the feed.</summary>
    public string PackagePath(string id, string extension = "nupkg") => Path.Combine(Folder, $"{id}.{Version}.{extension}");

    /// <summary>Opens a package's file in the feed as a zip archive.</summary>
    public ZipArchive Open(string id, string extension = "nupkg") => ZipFile.OpenRead(PackagePath(id, extension));

    /// <summary>A package's .nuspec manifest.</summary>
    public XDocument Nuspec(string id)
    {
        using var package = Open(id);
        var entry = package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        using var stream = entry.Open();
        return XDocument.Load(stream);
    }

    /// <inheritdoc/>
    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(Folder);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        foreach (var project in Projects)
        {
            // A release as CI packs it: deterministic paths, SourceLink; no build server left running afterwards.
            // No restore: the repository's own restore (which this test project's references ran) stays untouched.
            var run = await ProcessRun.RunAsync(
                "dotnet",
                ["pack", Path.Combine(RepositoryRoot, "src", project), "-c", "Release", "-o", Folder, $"-p:Version={Version}", "-p:ContinuousIntegrationBuild=true", "--no-restore", "--disable-build-servers", "-v:q", "-nologo"],
                RepositoryRoot);
            if (run.ExitCode != 0)
            {
                throw new InvalidOperationException($"dotnet pack {project} failed with exit code {run.ExitCode}:{System.Environment.NewLine}{run.All}");
            }
        }

        PackDuration = System.Diagnostics.Stopwatch.GetElapsedTime(started);
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }

        return ValueTask.CompletedTask;
    }

    private static string FindRepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "ReferralOS.Sdk.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No ReferralOS.Sdk.sln above {AppContext.BaseDirectory}: these tests pack the repository they were built from.");
    }
}
