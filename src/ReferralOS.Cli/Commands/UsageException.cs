namespace ReferralOS.Cli.Commands;

/// <summary>
/// The command was asked for something it cannot mean, found only once it runs (an empty connection string from the
/// environment): exit code 2, like a command line the parser refused. Nothing was done.
/// </summary>
/// <param name="message">What is wrong and how to say it instead.</param>
internal sealed class UsageException(string message) : Exception(message);
