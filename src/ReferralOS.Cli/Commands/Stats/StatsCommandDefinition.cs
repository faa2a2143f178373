using System.CommandLine;

namespace ReferralOS.Cli.Commands.Stats;

/// <summary>The <c>stats</c> command line; <see cref="StatsCommand"/> does the work.</summary>
internal sealed class StatsCommandDefinition : CommandDefinition
{
    public StatsCommandDefinition(CliContext context)
        : base("stats", "Write the database's shape — rows and size per table, none of its data — as one JSON document to standard output: a snapshot of production to commit, for explain --stats to scale its times to. Only reads the catalog (and counts a table never analysed).")
    {
        Examples =
        [
            "referralos-db stats -c \"$PRODUCTION_URL\" > execution/stats.json   # then: explain --stats execution/stats.json",
        ];
        Options.Add(ConnectionOption);
        SetDocumentHandler(context, (parse, output) => new StatsCommand(context, output, parse, this));
    }

    public Option<string?> ConnectionOption { get; } = CommonOptions.Connection();
}
