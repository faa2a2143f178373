using ReferralOS.Sdk.Generators.Diagnostics;
using ReferralOS.Sdk.Generators.Emitting;
using ReferralOS.Sdk.Generators.Parsing;
using ReferralOS.Sdk.Generators.Pipeline;

namespace ReferralOS.Sdk.Generators.Validation;

/// <summary>Everything the emitters write, and the diagnostics found across files: the output of validation.</summary>
internal sealed record CatalogueModel(
    GeneratorOptions Options,
    EquatableArray<SqlFileModel> Migrations,
    EquatableArray<SqlFileModel> Seeds,
    EquatableArray<SeedConstantModel> SeedConstants,
    EquatableArray<DiagnosticInfo> Diagnostics);
