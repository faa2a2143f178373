using System.CommandLine;

namespace ReferralOS.Cli.Commands.Lock;

/// <summary>The <c>lock</c> command line; <see cref="LockCommand"/> does the work.</summary>
internal sealed class LockCommandDefinition : CommandDefinition
{
    public LockCommandDefinition(CliContext context)
        : base("lock", "Release new migrations: add every migration that is not in execution/migrations.lock yet, with its checksum, and rewrite the sum line. Refused (exit 3) while a released migration was edited, deleted or renamed. Touches no database.")
    {
        Examples =
        [
            "referralos-db lock                          # in the repository, after writing 011_…sql; commit the lock with it",
            "referralos-db lock --execution ./execution  # name the folder explicitly",
        ];
        Options.Add(ExecutionOption);
        SetHandler(context, (parse, output) => new LockCommand(context, output, parse, this));
    }

    public Option<string?> ExecutionOption { get; } = CommonOptions.ExecutionFolder();
}
