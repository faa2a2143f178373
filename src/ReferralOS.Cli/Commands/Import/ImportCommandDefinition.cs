using System.CommandLine;
using ReferralOS.Cli.Importing;
using ReferralOS.Sdk.Shared;

namespace ReferralOS.Cli.Commands.Import;

/// <summary>The <c>import</c> command line; <see cref="ImportCommand"/> does the work.</summary>
internal sealed class ImportCommandDefinition : CommandDefinition
{
    public ImportCommandDefinition(CliContext context)
        : base("import", "Convert another tool's migrations into execution/migrations: renumbered from 001 in that tool's order, each with the spec's header and an Imported-From line naming the tool and its version, the Up SQL byte for byte, the down file as the commented Down section, '-- Transaction: none' where the tool ran the file outside a transaction; then release them all in migrations.lock. Refuses (exit 3), writing nothing, on SQL the runtime cannot run (psql meta-commands, COPY … FROM stdin) and on anything else it cannot convert faithfully.")
    {
        Examples =
        [
            "referralos-db import --from diesel migrations/                    # into ./execution",
            "referralos-db import --from golang-migrate db/migrations --execution ./db",
            "referralos-db import --from flyway src/main/resources/db/migration",
        ];
        Options.Add(FromOption);
        Arguments.Add(FolderArgument);
        Options.Add(ExecutionOption);
        SetHandler(context, (parse, output) => new ImportCommand(context, output, parse, this));
    }

    public Option<SourceTool> FromOption { get; } = new("--from")
    {
        Description = "The tool that wrote the migrations: " + string.Join(", ", SourceTools.All.Select(t => t.Name())) + ".",
        HelpName = string.Join('|', SourceTools.All.Select(t => t.Name())),
        Required = true,
        CustomParser = result =>
        {
            var name = result.Tokens[0].Value;
            if (SourceTools.TryParse(name, out var tool))
            {
                return tool;
            }

            result.AddError($"--from is '{name}', which is not a tool import reads: use {string.Join(", ", SourceTools.All.Select(t => t.Name()))}.");
            return default;
        },
    };

    public Argument<string> FolderArgument { get; } = new("folder") { Description = "The folder holding the tool's migrations, e.g. migrations/ or db/migration/." };

    /// <summary>Where the import writes: not <see cref="CommonOptions.ExecutionFolder"/>, which must exist already.</summary>
    public Option<string?> ExecutionOption { get; } = new("--execution")
    {
        Description = $"The folder to write {ExecutionLayout.MigrationsFolder}/ and {ExecutionLayout.LockFile} into. Default: {ExecutionLayout.DefaultFolder}/ in the working directory. It must hold no migration yet.",
        HelpName = "folder",
    };
}
