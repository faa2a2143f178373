using ReferralOS.Cli.Output;
using ReferralOS.Sdk;
using ReferralOS.Sdk.Local;

namespace ReferralOS.Cli.Commands;

/// <summary>Runs a command's work and turns any failure into one message on standard error and its exit code.</summary>
internal static class CommandInvocation
{
    public static async Task<int> RunAsync(CliOutput output, Func<CancellationToken, Task<int>> work, CancellationToken cancellationToken)
    {
        try
        {
            return await work(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            output.Failure(ex switch
            {
                SchemaMigrationException or LocalPostgresException or NotConfirmedException => ex.Message,
                OperationCanceledException => "Cancelled. The migration or seed in progress was rolled back; run the command again to finish.",
                _ => $"{ex.Message} ({ex.GetType().Name})",
            });
            return ExitCodes.For(ex);
        }
    }
}
