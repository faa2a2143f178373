using Microsoft.CodeAnalysis;
using ReferralOS.Sdk.Generators.Pipeline;

namespace ReferralOS.Sdk.Generators.Diagnostics;

/// <summary>
/// A diagnostic held as data until the output step reports it (<see cref="DiagnosticReporter"/>): the descriptor id,
/// where, and the message arguments.
/// </summary>
internal sealed record DiagnosticInfo(string Id, LocationInfo? Location, EquatableArray<string> Arguments)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo? location, params string[] arguments) =>
        new(descriptor.Id, location, arguments.ToEquatableArray());
}
