namespace ReferralOS.Sdk;

/// <summary>The shape of one table in a statistics snapshot: how many rows it holds and how big it is, none of its data.</summary>
/// <param name="Table">The table as regclass prints it: bare when the search_path finds it, else <c>schema.name</c>.</param>
/// <param name="Rows">Its rows: the planner's estimate (<c>pg_class.reltuples</c>), or a count when the table was never analysed.</param>
/// <param name="TotalBytes">Its size with indexes and TOAST (<c>pg_total_relation_size</c>).</param>
public sealed record TableStatistics(string Table, long Rows, long TotalBytes);
