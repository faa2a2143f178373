namespace ReferralOS.Cli.Tests.Importing;

/// <summary><c>import --from flyway</c>: <c>V&lt;version&gt;__&lt;description&gt;.sql</c>, undo files, and what Flyway has that ReferralOS has not.</summary>
public sealed class FlywayImportTests : IDisposable
{
    private readonly ImportWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task Flyway_versions_are_ordered_numerically_part_by_part_across_subfolders()
    {
        _workspace.Write("V1.10__Tenth.sql", "SELECT 110;\n");
        _workspace.Write("V1.2.3__Patch.sql", "SELECT 123;\n");
        _workspace.Write("V2__Second.sql", "SELECT 2;\n");
        _workspace.Write("V1__Create_person_table.sql", "CREATE TABLE person (id INT PRIMARY KEY, name VARCHAR(100) NOT NULL);\n");
        _workspace.Write("archive/V1_9__Ninth.sql", "SELECT 19;\n");

        var run = await _workspace.ImportAsync("flyway");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Equal(["001_create_person_table.sql", "002_patch.sql", "003_ninth.sql", "004_tenth.sql", "005_second.sql"], _workspace.MigrationFiles);
        Assert.Equal("-- Description: Create person table", _workspace.Header("001_create_person_table.sql")[1]);
        Assert.Equal("-- Imported-From: flyway 1.2.3", _workspace.Header("002_patch.sql")[3]);
        Assert.Equal("-- Imported-From: flyway 1.9", _workspace.Header("003_ninth.sql")[3]);
    }

    [Fact]
    public async Task A_flyway_undo_file_becomes_the_down_of_its_version()
    {
        _workspace.Write("V1__Create_person.sql", "CREATE TABLE person (id INT PRIMARY KEY);\n");
        _workspace.Write("U1__Create_person.sql", "DROP TABLE person;\n");

        await _workspace.ImportAsync("flyway");

        Assert.Equal("DROP TABLE person;", Assert.Single(Assert.Single((await _workspace.CompileAsync()).Migrations).Down!.Statements).Sql);
    }

    [Fact]
    public async Task Flyway_runs_a_migration_outside_a_transaction_for_a_non_transactional_statement_or_its_conf_file()
    {
        _workspace.Write("V1__Create_person.sql", "CREATE TABLE person (id INT PRIMARY KEY, name TEXT);\n");
        _workspace.Write("V2__Index_name.sql", "CREATE UNIQUE INDEX CONCURRENTLY person_name ON person (name);\n");
        _workspace.Write("V3__Backfill.sql", "UPDATE person SET name = upper(name);\n");
        _workspace.Write("V3__Backfill.sql.conf", "executeInTransaction=false\n");

        await _workspace.ImportAsync("flyway");

        Assert.Equal(
            [false, true, true],
            _workspace.MigrationFiles.Select(f => _workspace.Header(f).Contains("-- Transaction: none")));
    }

    [Fact]
    public async Task Flyway_repeatable_migrations_and_callbacks_are_not_supported_and_nothing_is_written()
    {
        _workspace.Write("V1__Create_person.sql", "CREATE TABLE person (id INT PRIMARY KEY);\n");
        _workspace.Write("R__People_view.sql", "CREATE OR REPLACE VIEW people AS SELECT * FROM person;\n");
        _workspace.Write("afterMigrate.sql", "ANALYZE person;\n");

        var run = await _workspace.ImportAsync("flyway");

        Assert.Equal(ExitCodes.ValidationFailed, run.ExitCode);
        Assert.Contains(run.OutLines, l => l.StartsWith("R__People_view.sql: a repeatable migration (R__): Flyway re-runs it whenever it changes, and a ReferralOS migration runs once. Not supported", StringComparison.Ordinal));
        Assert.Contains(run.OutLines, l => l.StartsWith("afterMigrate.sql: a Flyway callback", StringComparison.Ordinal));
        Assert.False(Directory.Exists(_workspace.Execution));
    }

    [Fact]
    public async Task A_flyway_placeholder_is_refused_on_its_line()
    {
        _workspace.Write("V1__Grant.sql", "CREATE TABLE person (id INT PRIMARY KEY);\nGRANT SELECT ON person TO ${reader};\n");

        var run = await _workspace.ImportAsync("flyway");

        Assert.Equal(ExitCodes.ValidationFailed, run.ExitCode);
        Assert.Contains("V1__Grant.sql(2): the Flyway placeholder ${reader}, which Flyway replaced before running the file: write its value into the SQL, as it ran", run.OutLines);
    }
}
