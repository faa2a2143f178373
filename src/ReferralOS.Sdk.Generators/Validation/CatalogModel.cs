using ReferralOS.Sdk.Generators.Emitting;
using ReferralOS.Sdk.Generators.Parsing;
using ReferralOS.Sdk.Generators.Pipeline;

namespace ReferralOS.Sdk.Generators.Validation;

/// <summary>
/// Everything the emitters write: the output of validation. The diagnostics found across files travel beside it
/// (<see cref="Result{T}"/>), so a change that only moves a diagnostic re-runs no emitter.
/// </summary>
internal sealed record CatalogModel(
    GeneratorOptions Options,
    EquatableArray<SqlFileModel> Migrations,
    EquatableArray<SqlFileModel> Seeds,
    EquatableArray<SeedConstantModel> SeedConstants);
