namespace ReferralOS.Cli.Compiling;

/// <summary>The folder named by <c>--execution</c> does not build: the generator reported errors, printed above.</summary>
/// <param name="message">What failed and what to do.</param>
internal sealed class ExecutionFolderInvalidException(string message) : Exception(message);
