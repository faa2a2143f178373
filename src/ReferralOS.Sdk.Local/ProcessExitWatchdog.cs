using System.Diagnostics;

namespace ReferralOS.Sdk.Local;

/// <summary>
/// Stops a cluster (and deletes its data folder, for a throwaway one) when this process exits, however it exits.
/// </summary>
/// <remarks>
/// A detached shell reads a pipe whose other end only this process holds. The kernel closes that end when the
/// process ends — disposal, crash or SIGKILL alike — and the read returns end-of-file; the shell then stops the
/// server and deletes the folder. <see cref="Release"/> tells it the owner cleaned up itself. The shell leaves this
/// process's tree and ignores SIGINT/SIGTERM/SIGHUP, so a process-group or process-tree kill of the test host
/// (Ctrl+C, a hang timeout) does not take it down with its owner. The postmaster needs no watching of its own:
/// it was started by pg_ctl in a session of its own, and a postmaster whose data folder vanishes shuts itself down.
/// </remarks>
internal sealed class ProcessExitWatchdog : IDisposable
{
    private const string ReleaseWord = "release";

    // $1 data folder, $2 "delete" or "keep", $3 pg_ctl shutdown mode, then the pg_ctl command (behind runuser when root).
    // The watcher runs in a background subshell so the sh this process started exits at once; stdin is saved on fd 3
    // first because a background list's stdin is /dev/null unless redirected explicitly.
    private const string Script = """
        exec 3<&0 </dev/null >/dev/null 2>&1
        (
          trap '' INT TERM HUP
          IFS= read -r word <&3
          [ "$word" = release ] && exit 0
          dir=$1 mode=$2 shutdown=$3
          shift 3
          "$@" stop -D "$dir" -m "$shutdown" -w
          [ "$mode" = delete ] && rm -rf "$dir"
        ) &
        """;

    private readonly Process _shell;

    private ProcessExitWatchdog(Process shell) => _shell = shell;

    /// <summary>Starts watching. Call before the cluster is created, so a death during initdb is covered too.</summary>
    public static ProcessExitWatchdog Start(string pgCtl, string dataDirectory, bool deleteDataDirectory)
    {
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardInput = true, UseShellExecute = false };
        foreach (var argument in new[] { "-c", Script, "referralos-watchdog", dataDirectory, deleteDataDirectory ? "delete" : "keep", deleteDataDirectory ? "immediate" : "fast" })
        {
            start.ArgumentList.Add(argument);
        }

        if (CommandRunner.RunsAsRoot)
        {
            foreach (var argument in new[] { "runuser", "-u", CommandRunner.ServiceUser, "--" })
            {
                start.ArgumentList.Add(argument);
            }
        }

        start.ArgumentList.Add(pgCtl);
        try
        {
            var shell = Process.Start(start) ?? throw new LocalPostgresException("Could not start /bin/sh to watch for this process's exit.");
            return new ProcessExitWatchdog(shell);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new LocalPostgresException($"Could not start /bin/sh to stop the cluster in {dataDirectory} when this process exits ({ex.Message}). Turn off {nameof(LocalPostgresOptions.StopWhenProcessExits)} on a machine without a POSIX shell.", ex);
        }
    }

    /// <summary>The owner has stopped and cleaned up the cluster itself: the watchdog exits without doing anything.</summary>
    public void Release()
    {
        try
        {
            _shell.StandardInput.WriteLine(ReleaseWord);
            _shell.StandardInput.Flush();
        }
        catch (IOException)
        {
            // The watcher is gone already; there is nothing left to tell.
        }

        Dispose();
    }

    /// <summary>Closes this end of the pipe: the watchdog stops the cluster now, as if this process had exited.</summary>
    public void Dispose() => _shell.Dispose();
}
