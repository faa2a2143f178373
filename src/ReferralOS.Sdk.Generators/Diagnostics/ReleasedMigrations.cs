using ReferralOS.Sdk.Generators.Pipeline;

namespace ReferralOS.Sdk.Generators.Validation;

/// <summary>
/// The migration files that <c>migrations.lock</c> lists as released, by path. Released migrations are history:
/// they have run and cannot change, so neither the unsafe-operation lint (ROS01xx) nor the schema references
/// (ROS0016, ROS0017) report on them.
/// </summary>
internal sealed record ReleasedMigrations(EquatableArray<string> Paths)
{
    public static readonly ReleasedMigrations None = new(EquatableArray<string>.Empty);

    /// <param name="paths">The released files' paths, in any order.</param>
    public static ReleasedMigrations Of(IEnumerable<string> paths) =>
        new(paths.Distinct(StringComparer.Ordinal).OrderBy(p => p, StringComparer.Ordinal).ToEquatableArray());

    public bool Contains(string path) => System.Collections.Immutable.ImmutableArray.BinarySearch(Paths.AsImmutableArray(), path, StringComparer.Ordinal) >= 0;
}
