using ReferralOS.Sdk.Generators.Pipeline;

namespace ReferralOS.Sdk.Generators.Parsing;

internal enum DatabaseStepKind
{
    /// <summary>A table (or view) comes into being, with <see cref="DatabaseStep.Columns"/> when they are spelled out.</summary>
    CreateTable,
    AddColumn,
    DropTable,
    DropColumn,
    RenameTable,
    RenameColumn,

    /// <summary>A statement needs the table to exist.</summary>
    UseTable,

    /// <summary>A statement needs the column to exist.</summary>
    UseColumn,

    /// <summary>A CHECK (column IS NOT NULL) is added; <see cref="DatabaseStep.Validated"/> unless it is NOT VALID.</summary>
    AddNotNullCheck,
    ValidateConstraint,

    /// <summary>ALTER COLUMN … SET NOT NULL.</summary>
    SetNotNull,

    /// <summary>ALTER COLUMN … TYPE to <see cref="DatabaseStep.SqlType"/>.</summary>
    AlterColumnType,

    /// <summary>CREATE FUNCTION <see cref="DatabaseStep.Name"/>; <see cref="DatabaseStep.Volatile"/> unless it says IMMUTABLE or STABLE.</summary>
    CreateFunction,
}

/// <summary>
/// One thing a statement does to, or needs from, the database's tables, columns and functions, in statement order. The
/// catalog stage replays the steps of every migration in order to know what exists when, which no single file can know.
/// <see cref="Table"/> is a table key (<see cref="SearchPath.Key"/>); a step on an existing table also lists the keys it
/// may resolve to under the file's search path, in order, which only the catalog stage can choose between.
/// </summary>
internal sealed record DatabaseStep(DatabaseStepKind Kind, string Table)
{
    /// <summary>The statement of the script the step comes from, by index, which opt-outs and the rules' findings name.</summary>
    public int Statement { get; init; }

    /// <summary>The keys an existing table named so may have, in search-path order; empty when only <see cref="Table"/> is possible.</summary>
    public EquatableArray<string> Candidates { get; init; } = EquatableArray<string>.Empty;

    public string? Column { get; init; }

    /// <summary>The new name of a rename; the constraint name of a check or validation.</summary>
    public string? Name { get; init; }

    /// <summary>The declared SQL type of an added column, or the new type of a type change.</summary>
    public string? SqlType { get; init; }

    public EquatableArray<TableColumn> Columns { get; init; } = EquatableArray<TableColumn>.Empty;

    public bool ColumnsKnown { get; init; } = true;

    public bool Validated { get; init; }

    /// <summary>The functions an added column's DEFAULT calls, lower case, without their schema.</summary>
    public EquatableArray<string> Functions { get; init; } = EquatableArray<string>.Empty;

    /// <summary>Whether a created function is VOLATILE, as PostgreSQL makes one that names no volatility.</summary>
    public bool Volatile { get; init; }

    /// <summary>Where a use, an added column, a type change or a SET NOT NULL is written, for its diagnostic.</summary>
    public LocationInfo? Location { get; init; }
}
