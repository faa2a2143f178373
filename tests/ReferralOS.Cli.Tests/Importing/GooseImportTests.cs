namespace ReferralOS.Cli.Tests.Importing;

/// <summary><c>import --from goose</c>: <c>-- +goose Up</c>/<c>Down</c>, <c>StatementBegin</c>/<c>End</c>, <c>NO TRANSACTION</c>.</summary>
public sealed class GooseImportTests : IDisposable
{
    private const string Function = """
        -- +goose Up
        -- +goose StatementBegin
        CREATE OR REPLACE FUNCTION touch() RETURNS trigger AS $$
        BEGIN
          NEW.updated_at := now();
          RETURN NEW;
        END;
        $$ LANGUAGE plpgsql;
        -- +goose StatementEnd

        -- +goose Down
        DROP FUNCTION touch();

        """;

    private readonly ImportWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task Goose_up_section_keeps_its_statement_annotations_as_comments_byte_for_byte()
    {
        _workspace.Write("00002_touch_function.sql", Function);
        _workspace.Write("00001_create_users.sql", "-- +goose Up\nCREATE TABLE users (id BIGSERIAL PRIMARY KEY, updated_at TIMESTAMPTZ);\n-- +goose Down\nDROP TABLE users;\n");

        var run = await _workspace.ImportAsync("goose");
        var catalog = await _workspace.CompileAsync();

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Equal(["001_create_users.sql", "002_touch_function.sql"], _workspace.MigrationFiles);
        Assert.Equal("-- Imported-From: goose 2", _workspace.Header("002_touch_function.sql")[3]);
        var up = System.Text.Encoding.UTF8.GetBytes(Function[(Function.IndexOf('\n') + 1)..Function.IndexOf("-- +goose Down", StringComparison.Ordinal)]);
        Assert.Equal(up, _workspace.UpBytes("002_touch_function.sql", up.Length));
        Assert.Single(catalog.Migrations[1].Up.Statements);
        Assert.Equal("DROP FUNCTION touch();", Assert.Single(catalog.Migrations[1].Down!.Statements).Sql);
    }

    [Fact]
    public async Task Goose_no_transaction_gives_transaction_none_wherever_the_annotation_stands()
    {
        _workspace.Write("00001_create_users.sql", "-- +goose Up\nCREATE TABLE users (id BIGSERIAL PRIMARY KEY, email TEXT);\n");
        _workspace.Write("00002_index_email.sql", "-- +goose NO TRANSACTION\n-- +goose Up\nCREATE INDEX CONCURRENTLY users_email ON users (email);\n\n-- +goose Down\nDROP INDEX CONCURRENTLY users_email;\n");

        await _workspace.ImportAsync("goose");

        Assert.Equal([false, true], _workspace.MigrationFiles.Select(f => _workspace.Header(f).Contains("-- Transaction: none")));
    }

    [Fact]
    public async Task A_goose_go_migration_and_envsub_are_refused()
    {
        _workspace.Write("00001_create_users.sql", "-- +goose Up\nCREATE TABLE users (id BIGSERIAL PRIMARY KEY);\n");
        _workspace.Write("00002_backfill.go", "package migrations\n");
        _workspace.Write("00003_grant.sql", "-- +goose ENVSUB ON\n-- +goose Up\nGRANT SELECT ON users TO ${READER};\n");

        var run = await _workspace.ImportAsync("goose");

        Assert.Equal(ExitCodes.ValidationFailed, run.ExitCode);
        Assert.Contains(run.OutLines, l => l.StartsWith("00002_backfill.go: a Go migration: import converts SQL only.", StringComparison.Ordinal));
        Assert.Contains(run.OutLines, l => l.StartsWith("00003_grant.sql(1): '-- +goose ENVSUB ON' substitutes environment variables", StringComparison.Ordinal));
        Assert.False(Directory.Exists(_workspace.Execution));
    }
}
