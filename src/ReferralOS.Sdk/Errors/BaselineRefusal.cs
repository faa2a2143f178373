namespace ReferralOS.Sdk;

/// <summary>Why a baseline was refused; <see cref="BaselineRefusedException.Reason"/> carries it.</summary>
public enum BaselineRefusal
{
    /// <summary>The code has no migration of the version asked for.</summary>
    UnknownVersion,

    /// <summary>The database already has ReferralOS history rows for migrations the baseline would record.</summary>
    AlreadyRecorded,

    /// <summary>The baseline would leave a migration pending below one the database has recorded, which migrate refuses.</summary>
    WouldLeaveGap,

    /// <summary>The other tool's history table is the table ReferralOS keeps its own history in: ReferralOS needs another.</summary>
    HistoryTableClash,

    /// <summary>The other tool's history table does not exist, has another layout than that tool's, or holds rows that tool never writes.</summary>
    ForeignHistoryUnreadable,

    /// <summary>The other tool records a dirty or failed migration: the database is in a state no file describes.</summary>
    ForeignHistoryFailed,

    /// <summary>The other tool records versions that no migration of the code was imported from.</summary>
    ForeignHistoryUnmatched,

    /// <summary>What the other tool applied is not the first migrations of the code, in order: some below the last applied one are not.</summary>
    ForeignHistoryNotAPrefix,

    /// <summary>The other tool records nothing applied, so there is nothing to baseline.</summary>
    NothingApplied,
}
