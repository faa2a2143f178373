namespace ReferralOS.Sdk;

/// <summary>A repair <see cref="SchemaMigrator.RepairAsync"/> recorded: an applied migration whose edited file the database now accepts.</summary>
/// <param name="Version">The migration.</param>
/// <param name="OldChecksum">The checksum the database had recorded: the file as it was applied.</param>
/// <param name="NewChecksum">The checksum recorded now: the file as the code has it.</param>
/// <param name="RepairedAt">When, as the database's clock says.</param>
/// <param name="Reason">Why the edit was accepted, as given.</param>
public sealed record RepairResult(string Version, string OldChecksum, string NewChecksum, DateTimeOffset RepairedAt, string Reason);
