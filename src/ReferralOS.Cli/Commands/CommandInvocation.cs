using ReferralOS.Cli.Compiling;
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
                // The runtime's message names the option an application sets; the CLI's user sets --lock-wait.
                MigrationLockTimeoutException lockTimeout =>
                    $"Another migration run held the migration lock (advisory lock key {lockTimeout.LockKey}) for the whole {Wording.Duration(lockTimeout.Waited)} this one waited. " +
                    "Let the running migration finish and run again, give it longer with --lock-wait (e.g. --lock-wait 30min), " +
                    "or find the holder with: SELECT pid, state, query FROM pg_stat_activity WHERE pid IN (SELECT pid FROM pg_locks WHERE locktype = 'advisory'). Nothing was applied.",
                MigrationException or LocalPostgresException or NotConfirmedException or UsageException or MigrationCanceledException or ExecutionFolderInvalidException => ex.Message,
                OperationCanceledException => "Cancelled before any migration or seed started running: nothing was changed. Run the command again to finish.",
                _ => $"{ex.Message} ({ex.GetType().Name})",
            });
            return ExitCodes.For(ex);
        }
    }
}
