using ReferralOS.Sdk.Generators.Parsing;
using ReferralOS.Sdk.Generators.Pipeline;

namespace ReferralOS.Sdk.Generators.Validation;

/// <summary>
/// The catalog the files make once validated: the migrations and seeds with valid names, each list in the order it
/// applies (by number, then file name), and the SQL type the migrations give each column a seed row sets. The
/// diagnostics found across files travel beside it (<see cref="Result{T}"/>), so a change that only moves a diagnostic
/// re-runs no emitter.
/// </summary>
internal sealed record CatalogModel(
    EquatableArray<SqlFileModel> Migrations,
    EquatableArray<SqlFileModel> Seeds,
    EquatableArray<SeedColumnType> SeedColumnTypes);

/// <summary>The declared SQL type of a column a seed row sets, as the migrations and seeds before it leave the table.</summary>
internal sealed record SeedColumnType(string Table, string Column, string SqlType);
