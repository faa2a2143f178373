using System.Collections.Immutable;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using ReferralOS.Sdk.Generators.Integrity;

namespace ReferralOS.Sdk.Generators.Benchmarks;

/// <summary>
/// The source generator over a project with 1,000 and 10,000 migrations (and their lock file): a full run, as on the
/// first build, and the re-runs an IDE does on every keystroke — after an edit to an unrelated .cs file (nothing should
/// re-run) and after an edit to one .sql file (only that file is re-parsed).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class GeneratorBenchmarks
{
    /// <summary>How many migration files the project has.</summary>
    [Params(1_000, 10_000)]
    public int MigrationCount { get; set; }

    private ImmutableArray<AdditionalText> _files;
    private CSharpCompilation _compilation = null!;
    private CSharpCompilation _editedCompilation = null!;
    private GeneratorDriver _warmDriver = null!;
    private AdditionalText _sqlBefore = null!;
    private AdditionalText _sqlAfter = null!;
    private bool _flip;

    [GlobalSetup]
    public void Setup()
    {
        var migrations = Enumerable.Range(1, MigrationCount).Select(MigrationFile).ToList();
        var lockText = MigrationLockFile.Write(migrations.Select(m => MigrationChecksum.FromFile(m.Path, m.Text)!));
        _files = migrations
            .Select(m => (AdditionalText)new InMemoryText(m.Path, m.Text))
            .Append(new InMemoryText("/bench/execution/migrations.lock", lockText))
            .ToImmutableArray();

        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p) is "System.Runtime.dll" or "System.Private.CoreLib.dll" or "netstandard.dll")
            .Select(p => MetadataReference.CreateFromFile(p));
        _compilation = CSharpCompilation.Create(
            "Bench",
            [CSharpSyntaxTree.ParseText("namespace Bench; public static class Program { public static int Value => 1; }", path: "/bench/Program.cs")],
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        _editedCompilation = _compilation.ReplaceSyntaxTree(
            _compilation.SyntaxTrees[0],
            CSharpSyntaxTree.ParseText("namespace Bench; public static class Program { public static int Value => 2; }", path: "/bench/Program.cs"));

        _warmDriver = NewDriver().RunGenerators(_compilation);
        _sqlBefore = _files[MigrationCount / 2];
        _sqlAfter = new InMemoryText(_sqlBefore.Path, _sqlBefore.GetText()!.ToString() + "\n-- edited\n");
    }

    /// <summary>A first build: every file lexed, parsed, linted and emitted.</summary>
    [Benchmark(Baseline = true)]
    public GeneratorDriver FullRun() => NewDriver().RunGenerators(_compilation);

    /// <summary>A keystroke in an unrelated .cs file: every step should be cached.</summary>
    [Benchmark]
    public GeneratorDriver RerunAfterUnrelatedCsEdit()
    {
        _flip = !_flip;
        _warmDriver = _warmDriver.RunGenerators(_flip ? _editedCompilation : _compilation);
        return _warmDriver;
    }

    /// <summary>A keystroke in one .sql file: that file is re-parsed, the cross-file stage and emitters re-run.</summary>
    [Benchmark]
    public GeneratorDriver RerunAfterOneSqlEdit()
    {
        _flip = !_flip;
        _warmDriver = _flip
            ? _warmDriver.ReplaceAdditionalText(_sqlBefore, _sqlAfter).RunGenerators(_compilation)
            : _warmDriver.ReplaceAdditionalText(_sqlAfter, _sqlBefore).RunGenerators(_compilation);
        return _warmDriver;
    }

    private CSharpGeneratorDriver NewDriver() =>
        CSharpGeneratorDriver.Create([new MigrationCatalogGenerator().AsSourceGenerator()], _files, CSharpParseOptions.Default);

    /// <summary>A realistic migration: a table with constraints, an index, timeouts, a Down section; every tenth adds a column to an earlier table.</summary>
    private static (string Path, string Text) MigrationFile(int number)
    {
        var n = number.ToString("00000", CultureInfo.InvariantCulture);
        var table = "things_" + n;
        var up = number % 10 == 0 && number > 1
            ? $"ALTER TABLE things_{(number - 1).ToString("00000", CultureInfo.InvariantCulture)} ADD COLUMN IF NOT EXISTS note_{n} TEXT;"
            : $"""
              CREATE TABLE IF NOT EXISTS {table} (
                id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
                tenant_id UUID NOT NULL,
                name VARCHAR(255) NOT NULL,
                payload JSONB NOT NULL DEFAULT '{"{}"}'::jsonb,
                status VARCHAR(16) NOT NULL DEFAULT 'new',
                created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
                CONSTRAINT {table}_status_check CHECK (status IN ('new', 'done')),
                CONSTRAINT {table}_name_check CHECK (btrim(name) <> '')
              );

              -- Lookups by tenant, newest first.
              CREATE INDEX IF NOT EXISTS idx_{table}_tenant ON {table} (tenant_id, created_at DESC);

              CREATE OR REPLACE FUNCTION {table}_touch() RETURNS trigger LANGUAGE plpgsql AS $fn$
              BEGIN
                NEW.created_at := NOW();
                RETURN NEW;
              END;
              $fn$;
              """;
        var text = $"""
            -- Migration: {n}_create_{table}
            -- Description: Create {table}.
            -- Created: {new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddHours(number):yyyy-MM-ddTHH:mm:ss}Z
            -- Lock-Timeout: 5s
            -- Statement-Timeout: 1min

            -- Up Migration
            {up}

            -- Down Migration (commented, for reference)
            -- DROP TABLE IF EXISTS {table};

            """;
        return ($"/bench/execution/migrations/{n}_create_{table}.sql", text.ReplaceLineEndings("\n"));
    }

    private sealed class InMemoryText(string path, string text) : AdditionalText
    {
        private readonly SourceText _text = SourceText.From(text);

        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
    }
}
