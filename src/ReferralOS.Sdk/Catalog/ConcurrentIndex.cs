namespace ReferralOS.Sdk;

/// <summary>An index a migration builds with CREATE INDEX CONCURRENTLY, named as the file writes it.</summary>
/// <param name="Index">The index name as written in the SQL, e.g. <c>idx_referrals_code</c> or <c>"IdxCode"</c>; it lives in its table's schema.</param>
/// <param name="Table">The table as written in the SQL, e.g. <c>referrals</c> or <c>billing.invoices</c>.</param>
public sealed record ConcurrentIndex(string Index, string Table);
