using System.Text;
using ReferralOS.Cli.Compiling;
using ReferralOS.Cli.Output;
using ReferralOS.Sdk;

namespace ReferralOS.Cli.Tests.Importing;

/// <summary>
/// A hand-written migration folder in another tool's layout (<c>source/</c>) and the project an import writes into
/// (<c>execution/</c>), in a folder of the test's own that is deleted afterwards.
/// </summary>
internal sealed class ImportWorkspace : IDisposable
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public string Root { get; } = TestFolders.Create("referralos-import");

    public string Source => Path.Combine(Root, "source");

    public string Execution => Path.Combine(Root, "execution");

    public string Migrations => Path.Combine(Execution, "migrations");

    /// <summary>Writes a source file, creating its folders; the text exactly as given, UTF-8 without BOM.</summary>
    public void Write(string relativePath, string text) => WriteBytes(relativePath, Utf8.GetBytes(text));

    public void WriteBytes(string relativePath, byte[] bytes)
    {
        var path = Path.Combine(Source, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
    }

    /// <summary>Runs <c>referralos-db import --from &lt;tool&gt; source</c> in the workspace.</summary>
    public Task<CliRun> ImportAsync(string tool, params string[] more) =>
        CliRun.RunAsync(Root, new Dictionary<string, string>(), ["import", "--from", tool, "source", .. more]);

    /// <summary>The imported files' names, in order.</summary>
    public IReadOnlyList<string> MigrationFiles =>
        Directory.Exists(Migrations) ? Directory.GetFiles(Migrations).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToArray() : [];

    public string Migration(string fileName) => File.ReadAllText(Path.Combine(Migrations, fileName), Utf8);

    public byte[] MigrationBytes(string fileName) => File.ReadAllBytes(Path.Combine(Migrations, fileName));

    public byte[] SourceBytes(string relativePath) => File.ReadAllBytes(Path.Combine(Source, relativePath));

    /// <summary>The header block of an imported file: its lines up to the first blank one.</summary>
    public IReadOnlyList<string> Header(string fileName) =>
        Migration(fileName).Split('\n').Select(l => l.TrimEnd('\r')).TakeWhile(l => l.Length > 0).ToArray();

    /// <summary>The bytes of an imported file from just after its <c>-- Up Migration</c> line, as many as <paramref name="count"/>.</summary>
    public byte[] UpBytes(string fileName, int count)
    {
        var bytes = MigrationBytes(fileName);
        var marker = Utf8.GetBytes("-- Up Migration");
        var at = bytes.AsSpan().IndexOf(marker);
        var start = bytes.AsSpan(at).IndexOf((byte)'\n') + at + 1;
        return bytes.AsSpan(start, Math.Min(count, bytes.Length - start)).ToArray();
    }

    /// <summary>The imported folder compiled by the build's own generator, as <c>--execution</c> compiles it.</summary>
    public async Task<MigrationCatalog> CompileAsync()
    {
        using var output = new StringWriter();
        var context = new CliContext(output, output, Root, _ => null, OutColour: false, ErrorColour: false);
        return await ExecutionCatalog.ResolveAsync(Execution, context, new CliOutput(context), TestContext.Current.CancellationToken);
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
