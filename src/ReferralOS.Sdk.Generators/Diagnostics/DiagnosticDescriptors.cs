using System.Reflection;
using Microsoft.CodeAnalysis;
using ReferralOS.Sdk.Shared;

namespace ReferralOS.Sdk.Generators.Diagnostics;

/// <summary>
/// Every diagnostic the generator reports, one id per problem. Ids are stable: a released id is never reused
/// for another problem. Each has a section in docs/diagnostics.md, which its help link points to, with a bad and
/// a good example. ROS00xx are about files, headers, the tables the migrations create and the lock; ROS01xx are
/// unsafe operations. What the generator does with an id beyond its severity is data on its descriptor, as custom
/// tags: whether a statement may excuse it (<see cref="ExcusableTag"/>) and whether it is reported on released
/// migrations (<see cref="NotOnReleasedTag"/>). The registry of ids is read from the fields here, so a new
/// descriptor is registered by being declared.
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string HelpLinkBase = "https://github.com/referralos/referralos-sdk/blob/main/docs/diagnostics.md#";
    private const string Naming = "ReferralOS.Naming";
    private const string Format = "ReferralOS.Format";
    private const string Seeds = "ReferralOS.Seeds";
    private const string Schema = "ReferralOS.Schema";
    private const string Integrity = "ReferralOS.Integrity";
    private const string Safety = "ReferralOS.Safety";

    /// <summary>The custom tag of an id a statement may excuse with a <c>-- referralos:allow</c> opt-out: statement-level checks only.</summary>
    public const string ExcusableTag = "ReferralOS.Excusable";

    /// <summary>
    /// The custom tag of an id not reported on migrations released in <c>migrations.lock</c>: what is released has run
    /// and cannot change. The unsafe-operation lint carries it, and so do the table and column references (ROS0016,
    /// ROS0017) — a released migration may name a table no migration creates, such as the history table of the tool
    /// that ran it (a trigger on diesel's <c>__diesel_schema_migrations</c>, a column added to golang-migrate's
    /// <c>schema_migrations</c>), and it has run against a database where that table existed.
    /// </summary>
    public const string NotOnReleasedTag = "ReferralOS.NotOnReleasedMigrations";

    public static readonly DiagnosticDescriptor InvalidFileName = Error(
        "ROS0001", Naming, "SQL file name is not <number>_<name>.sql",
        "'{0}' is not a valid {1} file name: rename it to <number>_<name>.sql, a zero-padded number of at least three digits and a lower-case snake_case name (for example 011_create_payouts.sql)");

    public static readonly DiagnosticDescriptor DuplicateNumber = Error(
        "ROS0002", Naming, "Duplicate number",
        "'{0}' reuses number {1} of '{2}': {3} numbers are never reused, give this file the next free number");

    public static readonly DiagnosticDescriptor NumberingGap = Error(
        "ROS0003", Naming, "Gap in the numbering",
        "'{0}' is numbered {1}, but number {2} is missing: {3}s are numbered 1, 2, 3… without gaps, so renumber this file to {2} or restore the missing one");

    public static readonly DiagnosticDescriptor MissingHeaderLine = Error(
        "ROS0004", Format, "Header line missing",
        "'{0}' has no '-- {1}:' line in its header: add it to the comment block at the top of the file, for example '{2}'");

    public static readonly DiagnosticDescriptor HeaderVersionMismatch = Error(
        "ROS0005", Format, "Header names another version",
        "The header says '-- {0}: {1}' but the file is '{2}': the header names the file's own version, write '-- {0}: {2}'");

    public static readonly DiagnosticDescriptor EmptyDescription = Error(
        "ROS0006", Format, "Description is empty",
        "'{0}' has an empty Description: say in one line what the {1} does");

    public static readonly DiagnosticDescriptor InvalidCreated = Error(
        "ROS0007", Format, "Created is not an ISO-8601 UTC time",
        "'-- Created: {0}' is not an ISO-8601 UTC time: write it like 2025-12-29T00:00:00Z");

    public static readonly DiagnosticDescriptor CreatedOutOfOrder = Error(
        "ROS0008", Format, "Created later than the next migration's",
        "'{0}' was created {1}, after '{2}' ({3}) which comes next: number migrations in the order they are written, so renumber the files or correct the Created time");

    public static readonly DiagnosticDescriptor MissingUpSection = Error(
        "ROS0009", Format, "Migration has no Up section",
        "'{0}' has no '-- Up Migration' line: add it after the header, above the statements that apply the migration");

    public static readonly DiagnosticDescriptor UnknownHeaderKey = Error(
        "ROS0010", Format, "Unknown header key",
        "'{0}' is not a header key of a {1}: the keys are {2}; fix the spelling, or separate this comment from the header with a blank line");

    public static readonly DiagnosticDescriptor InvalidDirective = Error(
        "ROS0011", Format, "Malformed header directive",
        "'{0}: {1}' is not valid: {2}");

    public static readonly DiagnosticDescriptor MissingDownSection = Warning(
        "ROS0012", Format, "Migration has no Down section",
        "'{0}' has no '-- Down Migration (commented, for reference)' section: add one after the Up section with the commented SQL that undoes the migration, so a rollback is documented");

    public static readonly DiagnosticDescriptor MissingEnvironment = Error(
        "ROS0013", Seeds, "Seed has no Environment",
        "Seed '{0}' has no '-- Environment:' header line: add one naming where it runs, for example '-- Environment: development, test'");

    public static readonly DiagnosticDescriptor UnknownEnvironment = Error(
        "ROS0014", Seeds, "Seed names an unknown environment",
        "Seed '{0}' names environment '{1}': {2}");

    public static readonly DiagnosticDescriptor SeedInsertWithoutOnConflict = Error(
        "ROS0015", Seeds, "Seed INSERT without ON CONFLICT",
        "This INSERT into '{0}' has no ON CONFLICT clause: seeds run again on databases that already hold the row, so end it with ON CONFLICT (…) DO NOTHING", ExcusableTag);

    public static readonly DiagnosticDescriptor UnknownTable = Error(
        "ROS0016", Schema, "Table no earlier migration creates",
        "'{0}' is not a table that an earlier migration creates: create it in a migration numbered before this {1}, or fix the name", ExcusableTag, NotOnReleasedTag);

    public static readonly DiagnosticDescriptor UnknownColumn = Error(
        "ROS0017", Schema, "Column no earlier migration creates",
        "Table '{0}' has no column '{1}' in the migrations before this {2}: add the column in an earlier migration, or fix the name", ExcusableTag, NotOnReleasedTag);

    // The wording every edited migration has (the CLI's and the runtime's too), with the arguments as placeholders.
    public static readonly DiagnosticDescriptor ReleasedMigrationEdited = Error(
        "ROS0020", Integrity, "Released migration was edited",
        HistoryComparison.EditedMessage("'{0}'", released: true, "{1}", "{2}"));

    public static readonly DiagnosticDescriptor ReleasedMigrationMissing = Error(
        "ROS0021", Integrity, "Released migration was deleted",
        "Released migration '{0}' (checksum {1}) has no file: restore it. A released migration is never deleted; undo it with a new migration instead");

    public static readonly DiagnosticDescriptor ReleasedMigrationRenamed = Error(
        "ROS0022", Integrity, "Released migration was renamed",
        "'{0}' has the text of released migration '{1}' (checksum {2}): a released migration keeps its name and number, so rename the file back to {1}.sql");

    public static readonly DiagnosticDescriptor MigrationNotInLock = Info(
        "ROS0023", Integrity, "Migration not released yet",
        "'{0}' is not in migrations.lock yet (checksum {1}): run 'referralos-db lock' when it is ready to be released");

    public static readonly DiagnosticDescriptor LockFileMalformed = Error(
        "ROS0024", Integrity, "migrations.lock line cannot be read",
        "migrations.lock line {0} cannot be read: {1}. Regenerate the file with 'referralos-db lock'");

    public static readonly DiagnosticDescriptor LockSumMismatch = Error(
        "ROS0025", Integrity, "migrations.lock sum does not match its entries",
        "migrations.lock records sum {0} but its entries hash to {1}: the file was edited or merged by hand. Renumber migrations that arrived from both branches, then run 'referralos-db lock'");

    public static readonly DiagnosticDescriptor UnterminatedToken = Error(
        "ROS0030", Format, "Comment, string or quoted name never closed",
        "This {0} is never closed, so everything after it to the end of the {1} would be read as part of it and never run: close it with {2}");

    public static readonly DiagnosticDescriptor NulCharacter = Error(
        "ROS0031", Format, "NUL character in a SQL file",
        "This line holds a NUL character (U+0000), which PostgreSQL cannot take in SQL text (the server drops the connection): remove it, and write binary data as a bytea literal such as '\\x00'");

    public static readonly DiagnosticDescriptor InvalidUtf8 = Error(
        "ROS0032", Format, "SQL file is not valid UTF-8",
        "'{0}' is not valid UTF-8 on this line ({1}), so the text the build read is not the text that was written: save the file as UTF-8 (or as UTF-16 with a byte-order mark); a U+FFFD that is meant is written U&'\\FFFD'");

    public static readonly DiagnosticDescriptor UnreadableFile = Error(
        "ROS0033", Format, "SQL file cannot be read",
        "'{0}' cannot be read, so it is in no catalog: {1}");

    public static readonly DiagnosticDescriptor CopyFromStdin = Error(
        "ROS0034", Format, "COPY … FROM STDIN",
        "COPY … FROM STDIN reads its rows from the client{0}, which only psql sends; the runtime sends SQL statements, so the rows would never arrive: write them as INSERT … VALUES statements, or COPY FROM a file on the database server");

    public static readonly DiagnosticDescriptor PsqlMetaCommand = Error(
        "ROS0035", Format, "psql meta-command",
        "'{0}' is a psql meta-command, which only psql understands; the runtime sends SQL to the server, which rejects it: {1}");

    public static readonly DiagnosticDescriptor InvalidOptOut = Error(
        "ROS0100", Safety, "Opt-out without a reason",
        "This opt-out does not count: {0}. Write '-- referralos:allow ROS0xxx because <reason>' on the line before the statement it excuses", NotOnReleasedTag);

    public static readonly DiagnosticDescriptor DropColumn = Error(
        "ROS0101", Safety, "Dropping a column",
        "Dropping column '{0}' of '{1}' loses its data and breaks running code that still reads it: soft-deprecate it (stop using it in code, keep the data), then drop it in a later release with an opt-out that says why", ExcusableTag, NotOnReleasedTag);

    public static readonly DiagnosticDescriptor DropTable = Error(
        "ROS0102", Safety, "Dropping a table",
        "Dropping table '{0}' loses its data and breaks running code that still uses it: stop using it in code first, then drop it in a later release with an opt-out that says why", ExcusableTag, NotOnReleasedTag);

    public static readonly DiagnosticDescriptor DropSchema = Error(
        "ROS0103", Safety, "Dropping a schema",
        "Dropping schema '{0}' drops every object in it with their data: drop the objects one by one in reviewed migrations, each with an opt-out that says why", ExcusableTag, NotOnReleasedTag);

    public static readonly DiagnosticDescriptor RenameTable = Error(
        "ROS0104", Safety, "Renaming a table",
        "Renaming table '{0}' breaks running code that uses the old name: create the new table, copy the data, switch the code, then drop the old table in a later release", ExcusableTag, NotOnReleasedTag);

    public static readonly DiagnosticDescriptor RenameColumn = Error(
        "ROS0105", Safety, "Renaming a column",
        "Renaming column '{0}' of '{1}' breaks running code that uses the old name: add a new column, backfill it, switch the code, then drop the old column in a later release", ExcusableTag, NotOnReleasedTag);

    public static readonly DiagnosticDescriptor AddNotNullColumnWithoutDefault = Error(
        "ROS0106", Safety, "Adding a NOT NULL column without a default",
        "Adding NOT NULL column '{0}' without a DEFAULT to existing table '{1}' fails as soon as the table has a row: give it a constant DEFAULT, or add it nullable, backfill it, and set NOT NULL later", ExcusableTag, NotOnReleasedTag);

    public static readonly DiagnosticDescriptor AddColumnRewritingDefault = Error(
        "ROS0107", Safety, "Adding a column with a default that rewrites the table",
        "Adding column '{0}' to existing table '{1}' with {2} rewrites the whole table under an ACCESS EXCLUSIVE lock: add the column without it, then ALTER COLUMN … SET DEFAULT for new rows and backfill existing rows in batches", ExcusableTag, NotOnReleasedTag);

    public static readonly DiagnosticDescriptor AddStoredGeneratedColumn = Error(
        "ROS0108", Safety, "Adding a stored generated column",
        "Adding GENERATED … STORED column '{0}' to existing table '{1}' rewrites the whole table under an ACCESS EXCLUSIVE lock: add a plain nullable column, fill new rows with a trigger and old rows with a batched backfill", ExcusableTag, NotOnReleasedTag);

    public static readonly DiagnosticDescriptor AlterColumnType = Error(
        "ROS0109", Safety, "Changing a column's type",
        "Changing the type of column '{0}' of '{1}' {2} can rewrite the table and its indexes under an ACCESS EXCLUSIVE lock: add a new column of the new type, backfill it, switch the code, then drop the old one (a change that rewrites nothing, such as widening a varchar, is not reported)", ExcusableTag, NotOnReleasedTag);

    public static readonly DiagnosticDescriptor SetNotNullWithoutCheck = Error(
        "ROS0110", Safety, "SET NOT NULL without a validated CHECK",
        "SET NOT NULL on column '{0}' of '{1}' scans the whole table under an ACCESS EXCLUSIVE lock: {2}", ExcusableTag, NotOnReleasedTag);

    public static readonly DiagnosticDescriptor AddForeignKeyWithoutNotValid = Error(
        "ROS0111", Safety, "Adding a foreign key without NOT VALID",
        "Adding foreign key {0} to existing table '{1}' checks every row while it blocks writes to both tables: add it with NOT VALID, then VALIDATE CONSTRAINT in a later migration (validation takes only a SHARE UPDATE EXCLUSIVE lock)", ExcusableTag, NotOnReleasedTag);

    public static readonly DiagnosticDescriptor AddCheckWithoutNotValid = Error(
        "ROS0112", Safety, "Adding a CHECK without NOT VALID",
        "Adding CHECK constraint {0} to existing table '{1}' scans every row under an ACCESS EXCLUSIVE lock: add it with NOT VALID, then VALIDATE CONSTRAINT in a later migration", ExcusableTag, NotOnReleasedTag);

    public static readonly DiagnosticDescriptor ValidateInSameTransaction = Error(
        "ROS0113", Safety, "VALIDATE in the transaction that added the constraint",
        "VALIDATE CONSTRAINT {0} runs in the same transaction as the ADD … NOT VALID that created it, so the ADD's lock is held through the whole scan: move the VALIDATE to a later migration", ExcusableTag, NotOnReleasedTag);

    public static readonly DiagnosticDescriptor AddUniqueOrPrimaryKey = Error(
        "ROS0114", Safety, "Adding UNIQUE or PRIMARY KEY to an existing table",
        "Adding a {0} constraint to existing table '{1}' builds its index under an ACCESS EXCLUSIVE lock: CREATE UNIQUE INDEX CONCURRENTLY in a '-- Transaction: none' migration, then ADD CONSTRAINT … {0} USING INDEX", ExcusableTag, NotOnReleasedTag);

    public static readonly DiagnosticDescriptor CreateIndexWithoutConcurrently = Error(
        "ROS0115", Safety, "CREATE INDEX without CONCURRENTLY",
        "Creating index {0} on existing table '{1}' without CONCURRENTLY blocks writes to the table for the whole build: use CREATE INDEX CONCURRENTLY in a migration marked '-- Transaction: none'", ExcusableTag, NotOnReleasedTag);

    public static readonly DiagnosticDescriptor DropIndexWithoutConcurrently = Error(
        "ROS0116", Safety, "DROP INDEX without CONCURRENTLY",
        "Dropping index '{0}' without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on its table: use DROP INDEX CONCURRENTLY in a migration marked '-- Transaction: none'", ExcusableTag, NotOnReleasedTag);

    public static readonly DiagnosticDescriptor ConcurrentlyInTransaction = Error(
        "ROS0117", Safety, "CONCURRENTLY in a transactional migration",
        "{0} cannot run inside a transaction block, and this migration runs in one: add '-- Transaction: none' to its header, so that each statement runs on its own", ExcusableTag, NotOnReleasedTag);

    public static readonly DiagnosticDescriptor MissingTimeout = Error(
        "ROS0118", Safety, "Lock-taking statement without timeouts",
        "{0} locks {1} with no {2} in effect{3}: add '-- Lock-Timeout: 5s' and '-- Statement-Timeout: 5min' to the header (or SET them first), so that a blocked lock fails fast instead of queueing every query behind it", ExcusableTag, NotOnReleasedTag);

    /// <summary>Every descriptor, for the docs test that checks each id has its section.</summary>
    public static IEnumerable<DiagnosticDescriptor> Descriptors => Registry.ById.Values;

    public static DiagnosticDescriptor ById(string id) => Registry.ById[id];

    /// <summary>Whether a statement may excuse the id with a <c>-- referralos:allow</c> opt-out.</summary>
    public static bool CanOptOut(string id) => Registry.ById.TryGetValue(id, out var descriptor) && descriptor.CustomTags.Contains(ExcusableTag);

    /// <summary>Whether the id is reported only on migrations not released yet (<see cref="NotOnReleasedTag"/>).</summary>
    public static bool SkipsReleasedMigrations(DiagnosticDescriptor descriptor) => descriptor.CustomTags.Contains(NotOnReleasedTag);

    private static DiagnosticDescriptor Error(string id, string category, string title, string message, params string[] tags) =>
        Create(id, category, title, message, DiagnosticSeverity.Error, tags);

    private static DiagnosticDescriptor Warning(string id, string category, string title, string message, params string[] tags) =>
        Create(id, category, title, message, DiagnosticSeverity.Warning, tags);

    private static DiagnosticDescriptor Info(string id, string category, string title, string message, params string[] tags) =>
        Create(id, category, title, message, DiagnosticSeverity.Info, tags);

    private static DiagnosticDescriptor Create(string id, string category, string title, string message, DiagnosticSeverity severity, string[] tags) =>
        new(id, title, message, category, severity, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + id.ToLowerInvariant(), customTags: tags);

    /// <summary>
    /// The descriptors by id, read from the public static fields of <see cref="DiagnosticDescriptors"/> (as DapperAOT
    /// collects its own). A nested class, so it is built on first use, after every descriptor field is set.
    /// </summary>
    private static class Registry
    {
        public static readonly Dictionary<string, DiagnosticDescriptor> ById = typeof(DiagnosticDescriptors)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(field => field.FieldType == typeof(DiagnosticDescriptor))
            .Select(field => (DiagnosticDescriptor)field.GetValue(null)!)
            .ToDictionary(descriptor => descriptor.Id, StringComparer.Ordinal);
    }
}
