using ReferralOS.Sdk.Generators.Pipeline;
using ReferralOS.Sdk.Generators.Sql;

namespace ReferralOS.Sdk.Generators.Parsing;

/// <summary>A run of a statement's significant tokens, by index, first and last included.</summary>
internal readonly record struct TokenRange(int First, int Last)
{
    public static TokenRange Of(int index) => new(index, index);
}

/// <summary>
/// A name as written in a statement (folded as PostgreSQL folds it) and where it is. A table's name is its key
/// (<see cref="SearchPath.Key"/>): where the statement creates it, or where it resolves when only one place is
/// possible; <see cref="Candidates"/> are the keys an existing table may have, in search-path order.
/// </summary>
internal sealed record NameRef(string Name, TokenRange Range)
{
    public EquatableArray<string> Candidates { get; init; } = EquatableArray<string>.Empty;

    /// <summary>Whether the name is qualified with a system schema (pg_catalog, information_schema): no migration creates it.</summary>
    public bool InSystemSchema { get; init; }
}

internal enum ConstraintKind
{
    ForeignKey,
    Check,
    Unique,
    PrimaryKey,
    Exclude,
    NotNull,
}

/// <summary>A table or column constraint: what it is, whether it is NOT VALID, and what it refers to.</summary>
internal sealed record ConstraintClause(
    ConstraintKind Kind,
    string? Name,
    TokenRange Range,
    bool NotValid,
    bool UsingIndex,
    NameRef? ReferencedTable,
    IReadOnlyList<NameRef> ReferencedColumns,
    IReadOnlyList<NameRef> Columns,
    string? NotNullCheckColumn);

/// <summary>A column definition of CREATE TABLE or ALTER TABLE … ADD COLUMN.</summary>
internal sealed record ColumnDefinitionClause(
    NameRef Name,
    string SqlType,
    TokenRange Range,
    bool NotNull,
    TokenRange? Default,
    bool Serial,
    bool Identity,
    bool GeneratedStored,
    IReadOnlyList<ConstraintClause> Constraints);

internal enum AlterActionKind
{
    AddColumn,
    DropColumn,
    RenameColumn,
    RenameTable,
    AlterColumnType,
    SetNotNull,
    AddConstraint,
    ValidateConstraint,

    /// <summary>SET SCHEMA: the table moves, <see cref="AlterAction.NewName"/> is its new key.</summary>
    SetSchema,
    Other,
}

/// <summary>
/// One action of ALTER TABLE. An ALTER COLUMN … TYPE has its <see cref="NewType"/>, spelled as column definitions
/// spell types, and <see cref="NewTypeClause"/> when a USING or COLLATE clause follows it.
/// </summary>
internal sealed record AlterAction(AlterActionKind Kind, TokenRange Range, NameRef? Column = null, ColumnDefinitionClause? Definition = null, ConstraintClause? Constraint = null, string? NewName = null, string? ConstraintName = null, string? NewType = null, bool NewTypeClause = false);

/// <summary>
/// The shape of a statement the rules care about, read from its tokens by <see cref="DdlParser"/>. Statements
/// of any other shape are <see cref="OtherStatement"/>.
/// </summary>
internal abstract record DdlStatement(SqlStatement Statement, TokenRange Lead);

internal sealed record OtherStatement(SqlStatement Statement) : DdlStatement(Statement, TokenRange.Of(0));

/// <summary>CREATE TABLE (or CREATE VIEW, whose columns are not read): <see cref="ColumnsKnown"/> is false when the column list is not spelled out.</summary>
internal sealed record CreateTableStatement(SqlStatement Statement, TokenRange Lead, NameRef Table, IReadOnlyList<ColumnDefinitionClause> Columns, bool ColumnsKnown, IReadOnlyList<ConstraintClause> Constraints, NameRef? LikeTable)
    : DdlStatement(Statement, Lead);

internal sealed record AlterTableStatement(SqlStatement Statement, TokenRange Lead, NameRef Table, bool IfExists, IReadOnlyList<AlterAction> Actions)
    : DdlStatement(Statement, Lead);

internal sealed record CreateIndexStatement(SqlStatement Statement, TokenRange Lead, NameRef Table, string? Name, bool Concurrently, IReadOnlyList<NameRef> Columns)
    : DdlStatement(Statement, Lead);

/// <summary>DROP TABLE, DROP INDEX, DROP SCHEMA, … : the object kind in upper case and the names dropped.</summary>
internal sealed record DropStatement(SqlStatement Statement, TokenRange Lead, string ObjectKind, IReadOnlyList<NameRef> Names, bool IfExists, bool Concurrently)
    : DdlStatement(Statement, Lead);

internal sealed record ReindexStatement(SqlStatement Statement, TokenRange Lead, bool Concurrently, NameRef? Table)
    : DdlStatement(Statement, Lead);

/// <summary>A statement that locks tables while it runs: CREATE/DROP TRIGGER … ON, TRUNCATE, LOCK, CLUSTER, VACUUM FULL.</summary>
internal sealed record TableLockStatement(SqlStatement Statement, TokenRange Lead, IReadOnlyList<NameRef> Tables)
    : DdlStatement(Statement, Lead);

/// <summary>
/// INSERT INTO table [(columns)] …: the columns it names, whether it has ON CONFLICT, and for <c>VALUES (…), (…)</c> under
/// a list of plain column names the literal each row gives each column, with the name a <c>-- Seed-Row:</c> comment
/// gives the rows.
/// </summary>
internal sealed record InsertStatement(
    SqlStatement Statement,
    TokenRange Lead,
    NameRef Table,
    IReadOnlyList<NameRef> Columns,
    bool HasOnConflict,
    IReadOnlyList<IReadOnlyList<SeedValue>> Rows,
    string? RowName)
    : DdlStatement(Statement, Lead);

/// <summary>
/// A session setting: SET [LOCAL | SESSION] name {TO | =} value, …, RESET name, or SELECT set_config('name', 'value', …)
/// as pg_dump writes it. The setting's name is in lower case; <see cref="Values"/> are the values unquoted, and
/// <see cref="ToDefault"/> says the setting goes back to its default (TO DEFAULT, RESET).
/// </summary>
internal sealed record SetStatement(SqlStatement Statement, TokenRange Lead, string Setting, IReadOnlyList<string> Values, bool ToDefault)
    : DdlStatement(Statement, Lead)
{
    /// <summary>Whether a lock_timeout or statement_timeout set so is in effect: not 0 (which is none, as pg_dump sets it), not the default.</summary>
    public bool SetsTimeout => !ToDefault && Values.Count > 0 && !TimeoutDirective.IsZero(Values[0]);
}

/// <summary>CREATE SCHEMA name, with the objects it creates inside (CREATE SCHEMA s CREATE TABLE t …), each parsed on its own.</summary>
internal sealed record CreateSchemaStatement(SqlStatement Statement, TokenRange Lead, string Schema, IReadOnlyList<DdlStatement> Elements)
    : DdlStatement(Statement, Lead);

internal sealed record CommentStatement(SqlStatement Statement, TokenRange Lead, NameRef Table, NameRef? Column)
    : DdlStatement(Statement, Lead);
