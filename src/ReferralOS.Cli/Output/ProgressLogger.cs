using Microsoft.Extensions.Logging;
using ReferralOS.Sdk;

namespace ReferralOS.Cli.Output;

/// <summary>
/// Shows the runtime's own log lines as they happen — "Applied migration 002_create_tenants in 14.2 ms" — as the
/// command's live progress. Errors are left out: the command reports a failure once, with its exit code.
/// </summary>
internal sealed class ProgressLogger(CliOutput output) : ILogger<SchemaMigrator>
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel is LogLevel.Information or LogLevel.Warning;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        if (!IsEnabled(logLevel))
        {
            return;
        }

        var message = "  " + formatter(state, exception);
        if (logLevel == LogLevel.Warning)
        {
            output.Warning(message);
        }
        else
        {
            output.Line(message);
        }
    }
}
