namespace ReferralOS.Sdk;

/// <summary>Which way a plan moves the schema.</summary>
public enum MigrationDirection
{
    /// <summary>Applying pending migrations' Up sections.</summary>
    Up,

    /// <summary>Rolling applied migrations back through their Down sections, newest first.</summary>
    Down,
}
