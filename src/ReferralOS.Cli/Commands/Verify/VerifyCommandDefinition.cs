using System.CommandLine;

namespace ReferralOS.Cli.Commands.Verify;

/// <summary>The <c>verify</c> command line; <see cref="VerifyCommand"/> does the work.</summary>
internal sealed class VerifyCommandDefinition : CommandDefinition
{
    public VerifyCommandDefinition(CliContext context)
        : base("verify", "Check that no released migration was edited, deleted or renamed (files against execution/migrations.lock and its sum line) and, given a database, that every migration it applied still has its file with the same checksum. Exits 3 on any mismatch.")
    {
        ExecutionOption.Description += " Checking a database, this folder is also compiled, as --execution does for migrate and status; without the option, the database is checked against the ReferralOS schema compiled into the tool.";
        ConnectionOption.Description = $"Also check a database's schema_migrations: an Npgsql connection string or a postgres:// URL. Default: ${CliContext.DatabaseUrlVariable}; with neither, no database is checked.";
        Examples =
        [
            "referralos-db verify                                   # files against the lock, in CI on every change",
            "referralos-db verify --strict                           # and every migration must be released",
            "referralos-db verify -c \"$PRODUCTION_DATABASE_URL\"     # and against what production applied",
        ];
        Options.Add(ExecutionOption);
        Options.Add(ConnectionOption);
        Options.Add(StrictOption);
        Options.Add(HistoryTableOption);
        SetHandler(context, (parse, output) => new VerifyCommand(context, output, parse, this));
    }

    public Option<string?> ExecutionOption { get; } = CommonOptions.ExecutionFolder();

    public Option<string?> ConnectionOption { get; } = CommonOptions.Connection();

    public Option<bool> StrictOption { get; } = new("--strict")
    {
        Description = "Fail on migrations that are not released in the lock yet, too (for the branch that ships them).",
    };

    public Option<string?> HistoryTableOption { get; } = CommonOptions.HistoryTable();
}
