using Npgsql;

namespace ReferralOS.Sdk.Benchmarks;

/// <summary>
/// One way of bringing a database up to date (or of reading its history), on a pooled data source of its own: the
/// benchmarks time <see cref="RunAsync"/>, and the round-trip count runs a second instance through a counting proxy.
/// </summary>
internal abstract class MigrationRun(string connectionString) : IAsyncDisposable
{
    protected NpgsqlDataSource DataSource { get; } = NpgsqlDataSource.Create(connectionString);

    /// <summary>Brings the database up to date, or reads its history.</summary>
    public abstract Task RunAsync();

    /// <summary>Opens the pool's first physical connection (and Npgsql's type loading), which no measured call should pay.</summary>
    public async Task WarmAsync()
    {
        await using var connection = await DataSource.OpenConnectionAsync();
    }

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
