namespace ReferralOS.Sdk.Generators.Pipeline;

/// <summary>
/// A stage's output and the diagnostics found while making it, side by side: the next stage takes
/// <see cref="Value"/> alone, so a change that only adds or removes a diagnostic does not re-run it.
/// </summary>
internal sealed record Result<T>(T Value, EquatableArray<DiagnosticInfo> Diagnostics)
    where T : IEquatable<T>;
