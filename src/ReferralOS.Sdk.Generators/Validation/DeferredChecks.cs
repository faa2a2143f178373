namespace ReferralOS.Sdk.Generators.Validation;

/// <summary>
/// Per statement of a migration, the checks the unsafe-operation rules leave to the cross-file stage, because they
/// need the schema as the earlier migrations leave it: whether a SET NOT NULL is proven safe by a validated CHECK
/// (ROS0110), whether a type change rewrites the table (ROS0109). A statement on a new table, or excused by an
/// opt-out, defers nothing.
/// </summary>
internal sealed class DeferredChecks
{
    private readonly HashSet<string>[] _ids;

    public DeferredChecks(int statements)
    {
        _ids = new HashSet<string>[statements];
        for (var i = 0; i < statements; i++)
        {
            _ids[i] = new HashSet<string>(StringComparer.Ordinal);
        }
    }

    public void Defer(int statement, string id) => _ids[statement].Add(id);

    public bool IsDeferred(int statement, string id) => _ids[statement].Contains(id);
}
