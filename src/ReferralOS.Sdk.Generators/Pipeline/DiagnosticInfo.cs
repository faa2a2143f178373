using Microsoft.CodeAnalysis;

namespace ReferralOS.Sdk.Generators.Pipeline;

/// <summary>
/// A diagnostic held as data until the output step reports it: the descriptor id, where, and the message arguments.
/// It is made by the rule that decides it and turned into a compiler diagnostic only at report time, so models that
/// carry it stay value-equatable.
/// </summary>
internal sealed record DiagnosticInfo(string Id, LocationInfo? Location, EquatableArray<string> Arguments)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo? location, params string[] arguments) =>
        new(descriptor.Id, location, arguments.ToEquatableArray());
}
