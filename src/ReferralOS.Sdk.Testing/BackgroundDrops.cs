using System.Threading.Channels;
using Npgsql;

namespace ReferralOS.Sdk.Testing;

/// <summary>
/// Drops the databases of tests that ended, a few at a time in the background, so that a test's end does not wait
/// for its drop. A drop that fails leaves its database to the run's end, which drops whatever of the run's is left,
/// or, when the run is killed, to the next run's sweep.
/// </summary>
internal sealed class BackgroundDrops
{
    // A few at once: a drop waits on the server for the other backends to let go of the database's files, time another
    // drop can use.
    private const int DropsAtOnce = 4;

    private readonly Channel<string> _queue = Channel.CreateUnbounded<string>();
    private readonly Task[] _dropping;

    /// <param name="drop">Drops one database.</param>
    public BackgroundDrops(Func<string, Task> drop) => _dropping = Enumerable.Range(0, DropsAtOnce).Select(_ => Task.Run(() => DropAllAsync(drop))).ToArray();

    /// <summary>Queues a database to be dropped. After <see cref="CompleteAsync"/> this does nothing: the run's end has dropped it.</summary>
    public void Enqueue(string database) => _queue.Writer.TryWrite(database);

    /// <summary>Takes no more, and waits for the queued drops.</summary>
    public async Task CompleteAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_dropping).ConfigureAwait(false);
    }

    private async Task DropAllAsync(Func<string, Task> drop)
    {
        await foreach (var database in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                await drop(database).ConfigureAwait(false);
            }
            catch (NpgsqlException)
            {
                // Left for the run's end or the next run's sweep (class summary).
            }
        }
    }
}
