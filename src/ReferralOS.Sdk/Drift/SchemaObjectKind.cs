namespace ReferralOS.Sdk;

/// <summary>The kinds of database object drift compares, each read from the system catalogs.</summary>
public enum SchemaObjectKind
{
    /// <summary>An installed extension and its version.</summary>
    Extension,

    /// <summary>A schema (namespace) outside PostgreSQL's own.</summary>
    Schema,

    /// <summary>A table: ordinary or partitioned, logged or not, and whether row-level security is enabled or forced on it.</summary>
    Table,

    /// <summary>A view or materialized view, by its deparsed query.</summary>
    View,

    /// <summary>A column: its type, nullability, default, identity and generation.</summary>
    Column,

    /// <summary>A table constraint (primary key, unique, foreign key, check, exclusion), as <c>pg_get_constraintdef</c> deparses it.</summary>
    Constraint,

    /// <summary>An index that backs no constraint, as <c>pg_get_indexdef</c> deparses it, marked INVALID when a CREATE INDEX CONCURRENTLY failed.</summary>
    Index,

    /// <summary>A function or procedure, as <c>pg_get_functiondef</c> deparses it.</summary>
    Function,

    /// <summary>A trigger, as <c>pg_get_triggerdef</c> deparses it, and whether it is enabled.</summary>
    Trigger,

    /// <summary>A row-level-security policy: command, permissive or restrictive, roles, USING and WITH CHECK expressions.</summary>
    Policy,

    /// <summary>The privileges one role holds on a schema, table, view, sequence, column or function (the owner's named as <c>owner</c>).</summary>
    Grant,

    /// <summary>A comment on an object (COMMENT ON …).</summary>
    Comment,
}
