namespace ReferralOS.Sdk;

/// <summary>One seed file, compiled: the environments it is for, its SQL and its checksum.</summary>
public sealed class SeedScript
{
    /// <summary>Creates a seed descriptor. Generated code calls this; applications rarely need to.</summary>
    /// <param name="version">The file name without <c>.sql</c>, e.g. <c>001_default_tenant</c>.</param>
    /// <param name="number">The number the file name starts with.</param>
    /// <param name="name">The file name after the number.</param>
    /// <param name="description">The <c>-- Description:</c> header.</param>
    /// <param name="environments">The <c>-- Environment:</c> header: where the seed may run.</param>
    /// <param name="path">The file's path relative to its project.</param>
    /// <param name="checksum">SHA-256 of the file, lower-case hex.</param>
    /// <param name="script">The statements.</param>
    public SeedScript(string version, int number, string name, string description, IReadOnlyList<string> environments, string path, string checksum, SqlScript script)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(version);
        ArgumentNullException.ThrowIfNull(environments);
        ArgumentNullException.ThrowIfNull(script);
        Version = version;
        Number = number;
        Name = name;
        Description = description;
        Environments = environments;
        Path = path;
        Checksum = checksum;
        Script = script;
    }

    /// <summary>The file name without <c>.sql</c>, e.g. <c>001_default_tenant</c>.</summary>
    public string Version { get; }

    /// <summary>The number the file name starts with; seeds run in this order.</summary>
    public int Number { get; }

    /// <summary>The file name after the number.</summary>
    public string Name { get; }

    /// <summary>The <c>-- Description:</c> header.</summary>
    public string Description { get; }

    /// <summary>The environments named by the <c>-- Environment:</c> header, lower case.</summary>
    public IReadOnlyList<string> Environments { get; }

    /// <summary>The file's path relative to its project.</summary>
    public string Path { get; }

    /// <summary>SHA-256 of the file's text, lower-case hex.</summary>
    public string Checksum { get; }

    /// <summary>The statements the seed runs.</summary>
    public SqlScript Script { get; }

    /// <summary>Whether the seed is meant for <paramref name="environment"/>. Never true for production.</summary>
    /// <param name="environment">The environment the database serves.</param>
    /// <returns>True when the seed's header names the environment.</returns>
    public bool RunsIn(DatabaseEnvironment environment) =>
        environment != DatabaseEnvironment.Production && Environments.Contains(environment.ToName(), StringComparer.OrdinalIgnoreCase);

    /// <inheritdoc/>
    public override string ToString() => Version;
}
