namespace ReferralOS.Sdk;

/// <summary>
/// Seeding, reset or rollback was refused: the caller named an environment that does not allow it, or the database
/// itself is marked production. Nothing was written.
/// </summary>
public sealed class EnvironmentRefusedException : MigrationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="operation">What was refused, e.g. "seed".</param>
    /// <param name="environment">The environment it was refused in.</param>
    /// <param name="reason">Why, and what to do.</param>
    public EnvironmentRefusedException(string operation, DatabaseEnvironment environment, string reason)
        : base($"Refused to {operation} in {environment.ToName()}: {reason} Nothing was written.")
    {
        Operation = operation;
        Environment = environment;
    }

    /// <summary>What was refused, e.g. "seed", "reset" or "roll back".</summary>
    public string Operation { get; }

    /// <summary>The environment it was refused in.</summary>
    public DatabaseEnvironment Environment { get; }
}
