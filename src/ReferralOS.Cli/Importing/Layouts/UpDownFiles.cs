using System.Globalization;

namespace ReferralOS.Cli.Importing.Layouts;

/// <summary>
/// The files of a layout that keeps each direction of a migration in a file of its own (golang-migrate's and sqlx's
/// <c>.up.sql</c>/<c>.down.sql</c>), by version: one place that pairs them, reports a down file without its up file,
/// and turns each up file into a migration in version order.
/// </summary>
internal sealed class UpDownFiles<TVersion>
    where TVersion : notnull, IComparable<TVersion>, IFormattable
{
    private readonly SortedDictionary<TVersion, (string Name, string Path)> _ups = [];
    private readonly Dictionary<TVersion, string> _downs = [];

    /// <summary>Records a file; false when its version has a file of that direction already.</summary>
    public bool TryAdd(TVersion version, string name, string path, bool isDown) =>
        isDown ? _downs.TryAdd(version, path) : _ups.TryAdd(version, (name, path));

    /// <summary>
    /// Reports every down file that has no up file, then adds one migration per readable up file, with its down file
    /// when that holds any SQL.
    /// </summary>
    /// <param name="source">The folder being read.</param>
    /// <param name="runsOutsideTransaction">Whether the tool ran an up file of this text outside a transaction.</param>
    public void AddMigrations(SourceFolder source, Func<string, bool> runsOutsideTransaction)
    {
        foreach (var (version, path) in _downs.Where(down => !_ups.ContainsKey(down.Key)))
        {
            source.Problem(source.Relative(path), 0, $"a down file for version {Text(version)}, which has no up file: add the up file or remove this one");
        }

        foreach (var (version, (name, path)) in _ups)
        {
            if (source.ReadText(path) is not { } upText)
            {
                continue;
            }

            SourceSql? down = null;
            if (_downs.TryGetValue(version, out var downPath) && source.ReadText(downPath) is { } downText && downText.Trim().Length > 0)
            {
                down = new SourceSql(source.Relative(downPath), downText, 1);
            }

            var up = new SourceSql(source.Relative(path), upText, 1);
            source.Migrations.Add(new SourceMigration(Text(version), name, up, down, runsOutsideTransaction(upText)));
        }
    }

    private static string Text(TVersion version) => version.ToString(null, CultureInfo.InvariantCulture);
}
