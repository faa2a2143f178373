using System.CommandLine;

namespace ReferralOS.Cli.Commands.Repair;

/// <summary>The <c>repair</c> command line; <see cref="RepairCommand"/> does the work.</summary>
internal sealed class RepairCommandDefinition : CommandDefinition
{
    public RepairCommandDefinition(CliContext context)
        : base("repair", "Accept a deliberate edit of an applied migration, with a reason: log the version, the old and the new checksum, when, who and why in the history's repairs table (<history>_repairs), set the history row's checksum, and update the released checksum in migrations.lock. Runs nothing of the file. Refused on a database marked production unless --confirm-production; refused, changing nothing, for a version that is unknown, not applied or not edited.")
    {
        Examples =
        [
            "referralos-db repair --accept 004_create_referral_codes --reason \"Comment typo fixed; same schema\" -c \"$DATABASE_URL\"",
            "referralos-db repair --accept 004_create_referral_codes --reason \"Made idempotent (IF NOT EXISTS), reviewed in #412\" --confirm-production -c \"$PRODUCTION_DATABASE_URL\"",
        ];
        Options.Add(AcceptOption);
        Options.Add(ReasonOption);
        Options.Add(ConfirmProductionOption);
        Options.Add(ConnectionOption);
        Options.Add(HistoryTableOption);
        Options.Add(LockWaitOption);
        Options.Add(ExecutionOption);
        Validators.Add(result =>
        {
            if (result.GetResult(ReasonOption) is { } reason && string.IsNullOrWhiteSpace(reason.GetValueOrDefault<string>()))
            {
                result.AddError("--reason is empty: say why the edit is accepted, for whoever reads the repairs table later.");
            }
        });
        SetHandler(context, (parse, output) => new RepairCommand(context, output, parse, this));
    }

    public Option<string> AcceptOption { get; } = new("--accept")
    {
        Description = "The applied migration whose edited file to accept, e.g. 004_create_referral_codes (status marks it checksum-mismatch).",
        HelpName = "version",
        Required = true,
    };

    public Option<string> ReasonOption { get; } = new("--reason")
    {
        Description = "Why the edit is accepted; required and recorded with the repair.",
        HelpName = "text",
        Required = true,
    };

    public Option<bool> ConfirmProductionOption { get; } = new("--confirm-production")
    {
        Description = "Repair a database marked production (check first that the edit changes nothing it needs: drift compares them).",
    };

    public Option<string?> ConnectionOption { get; } = CommonOptions.Connection();

    public Option<string?> HistoryTableOption { get; } = CommonOptions.HistoryTable();

    public Option<TimeSpan?> LockWaitOption { get; } = CommonOptions.LockWait();

    public Option<string?> ExecutionOption { get; } = CommonOptions.CompiledExecution();
}
