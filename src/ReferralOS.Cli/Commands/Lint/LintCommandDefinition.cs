using System.CommandLine;
using ReferralOS.Sdk.Generators;

namespace ReferralOS.Cli.Commands.Lint;

/// <summary>The <c>lint</c> command line; <see cref="LintCommand"/> does the work.</summary>
internal sealed class LintCommandDefinition : CommandDefinition
{
    public LintCommandDefinition(CliContext context)
        : base("lint", "Check the .sql files the way the build does, without building: file names, numbering, headers, tables and columns no migration creates, unsafe operations (with why and the safe recipe), and migrations.lock. Touches no database. Exits 3 on any error.")
    {
        Examples =
        [
            "referralos-db lint                       # in the repository, before committing a migration",
            "referralos-db lint --postgres-version 12  # the rules for an older server",
            "referralos-db lint --strict               # warnings fail too, for CI",
        ];
        Options.Add(ExecutionOption);
        Options.Add(PostgresVersionOption);
        Options.Add(StrictOption);
        SetHandler(context, (parse, output) => new LintCommand(context, output, parse, this));
    }

    public Option<string?> ExecutionOption { get; } = CommonOptions.ExecutionFolder();

    public Option<int> PostgresVersionOption { get; } = new("--postgres-version")
    {
        Description = "The PostgreSQL major version the rules follow, as the ReferralOsPostgresVersion MSBuild property does (e.g. a constant default is safe from 11).",
        DefaultValueFactory = _ => GeneratorOptions.DefaultPostgresVersion,
        HelpName = "major",
    };

    public Option<bool> StrictOption { get; } = new("--strict") { Description = "Fail on warnings too (e.g. a migration without a Down section)." };
}
