using ReferralOS.Sdk.Generators.Parsing;
using ReferralOS.Sdk.Generators.Pipeline;
using ReferralOS.Sdk.Generators.Validation;

namespace ReferralOS.Sdk.Generators.Emitting;

/// <summary>
/// What <see cref="CatalogEmitter"/> writes: the schema class's namespace and name, and each migration and seed script
/// with exactly what the runtime's constructors take. Equal models write equal text, so a change that leaves them
/// equal (a released migration, a diagnostic, another PostgreSQL version) re-runs no emitter.
/// </summary>
internal sealed record CatalogEmitModel(string Namespace, string ClassName, EquatableArray<MigrationEmitModel> Migrations, EquatableArray<SeedScriptEmitModel> Seeds)
{
    /// <summary>The model of the validated catalog's migrations and seeds, in the order they apply.</summary>
    public static CatalogEmitModel From(CatalogModel catalog, string @namespace, string className) => new(
        @namespace,
        className,
        catalog.Migrations.Select(m => new MigrationEmitModel(
            m.Version,
            m.Number,
            m.Name,
            m.Description,
            m.Created?.UtcTicks,
            m.RelativePath,
            m.Checksum,
            m.NonTransactional,
            m.LockTimeoutMilliseconds,
            m.StatementTimeoutMilliseconds,
            m.Up,
            m.Down,
            m.ConcurrentIndexes,
            m.ImportedFrom)).ToEquatableArray(),
        catalog.Seeds.Select(s => new SeedScriptEmitModel(s.Version, s.Number, s.Name, s.Description, s.Environments, s.RelativePath, s.Checksum, s.Up)).ToEquatableArray());
}

/// <summary>One migration as the generated catalog constructs it; <see cref="CreatedUtcTicks"/> is null when its header names no valid time.</summary>
internal sealed record MigrationEmitModel(
    string Version,
    int Number,
    string Name,
    string Description,
    long? CreatedUtcTicks,
    string Path,
    string Checksum,
    bool NonTransactional,
    long? LockTimeoutMilliseconds,
    long? StatementTimeoutMilliseconds,
    ScriptModel Up,
    ScriptModel? Down,
    EquatableArray<ConcurrentIndexModel> ConcurrentIndexes,
    ImportedFromModel? ImportedFrom);

/// <summary>One seed script as the generated catalog constructs it.</summary>
internal sealed record SeedScriptEmitModel(
    string Version,
    int Number,
    string Name,
    string Description,
    EquatableArray<string> Environments,
    string Path,
    string Checksum,
    ScriptModel Script);
