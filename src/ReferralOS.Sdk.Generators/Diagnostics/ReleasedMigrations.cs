using ReferralOS.Sdk.Generators.Pipeline;

namespace ReferralOS.Sdk.Generators.Diagnostics;

/// <summary>
/// The migration files that <c>migrations.lock</c> lists as released, by path. Released migrations are history:
/// they have run and cannot change, so no id tagged <see cref="DiagnosticDescriptors.NotOnReleasedTag"/> (the
/// unsafe-operation lint, ROS01xx, and the table and column references, ROS0016 and ROS0017) reports on them.
/// </summary>
internal sealed record ReleasedMigrations(EquatableArray<string> Paths)
{
    public static readonly ReleasedMigrations None = new(EquatableArray<string>.Empty);

    /// <param name="paths">The released files' paths, in any order.</param>
    public static ReleasedMigrations Of(IEnumerable<string> paths) =>
        new(paths.Distinct(StringComparer.Ordinal).OrderBy(p => p, StringComparer.Ordinal).ToEquatableArray());

    public bool Contains(string path) => System.Collections.Immutable.ImmutableArray.BinarySearch(Paths.AsImmutableArray(), path, StringComparer.Ordinal) >= 0;
}
