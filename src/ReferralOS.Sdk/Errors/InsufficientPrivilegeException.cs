namespace ReferralOS.Sdk;

/// <summary>The role the runtime connects as lacks a privilege the operation needs. Checked before it is attempted; nothing was changed.</summary>
public sealed class InsufficientPrivilegeException : MigrationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What was refused and why.</param>
    /// <param name="grant">The statement an administrator runs to give the privilege.</param>
    public InsufficientPrivilegeException(string message, string grant)
        : base($"{message} An administrator can grant it with: {grant}; or connect as a role that has it. Nothing was changed.")
    {
        Grant = grant;
    }

    /// <summary>The statement that gives the missing privilege, e.g. <c>GRANT CREATE ON SCHEMA public TO app</c>.</summary>
    public string Grant { get; }
}
