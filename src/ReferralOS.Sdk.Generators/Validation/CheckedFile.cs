using ReferralOS.Sdk.Generators.Parsing;
using ReferralOS.Sdk.Generators.Pipeline;

namespace ReferralOS.Sdk.Generators.Validation;

/// <summary>A diagnostic id for one statement of a file's script, by index: what an opt-out excuses, or a check left to the catalog stage.</summary>
internal sealed record StatementCheck(int Statement, string Id);

/// <summary>
/// One file after the rules that need it alone: its facts, and what the catalog stage must know to finish the rules that
/// need every file — the ids each statement is excused from, and the checks the unsafe-operation lint leaves to the
/// replay of the migrations before it (<see cref="UnsafeOperationRules.CheckReplayed"/>). The file's own diagnostics
/// travel beside it.
/// </summary>
internal sealed record CheckedFile(SqlFileModel File, EquatableArray<StatementCheck> Excused, EquatableArray<StatementCheck> Deferred);
