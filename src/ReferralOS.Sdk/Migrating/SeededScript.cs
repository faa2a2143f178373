namespace ReferralOS.Sdk;

/// <summary>One seed a run executed and the rows it inserted (rows that already existed are not counted).</summary>
/// <param name="Version">The seed's version.</param>
/// <param name="RowsInserted">Rows its INSERT statements wrote.</param>
/// <param name="Duration">How long it took.</param>
public sealed record SeededScript(string Version, int RowsInserted, TimeSpan Duration);
