namespace ReferralOS.Sdk.Local;

/// <summary>Where and how <see cref="LocalPostgresServer"/> runs a PostgreSQL cluster from the machine's own binaries.</summary>
public sealed record LocalPostgresOptions
{
    /// <summary>The cluster's data folder. Created by <c>initdb</c> on first start; reused afterwards.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>The loopback port to listen on; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>
    /// A throwaway cluster for tests: durability off (fsync, synchronous_commit, full_page_writes), and disposing
    /// the server stops it and deletes its data folder. A persistent cluster keeps running after dispose.
    /// </summary>
    public bool Ephemeral { get; init; }

    /// <summary>
    /// Stop the cluster when this process exits, however it exits — a crash or SIGKILL included, when disposal
    /// never runs — and, when <see cref="Ephemeral"/>, delete its data folder. A small detached shell watches a pipe
    /// from this process to do it (Linux and macOS). Applies only to a cluster this call starts; the watch lasts as long
    /// as the <see cref="LocalPostgresServer"/> is referenced or this process lives. Default false.
    /// </summary>
    public bool StopWhenProcessExits { get; init; }

    /// <summary>The folder holding <c>initdb</c>, <c>pg_ctl</c> and <c>postgres</c>; null to look where <see cref="PostgresBinaries.Find"/> looks.</summary>
    public string? BinDirectory { get; init; }

    /// <summary>
    /// A password the <c>postgres</c> superuser must give (scram-sha-256) when the cluster is created; null (the
    /// default) trusts every loopback connection, which suits a development machine.
    /// </summary>
    public string? Password { get; init; }

    /// <summary>How long to wait for the server to accept connections. Default 60 seconds.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);
}
