using System.Threading.Channels;

namespace ReferralOS.Sdk.Testing;

/// <summary>
/// Spare clones of one template, made ahead of the tests that will take them, so that a test waits for a queue read
/// instead of a <c>CREATE DATABASE</c>. A background refill keeps up to <c>size</c> spares, cloning as many at once as
/// there is room for; a test that takes one is never given it back (its database is dropped when it ends), so a test
/// that changed its schema or rows cannot pass the change on. With more tests than spares, a test waits for the next
/// clone the refill finishes. Size 0 keeps no spares: each test waits for a clone of its own, made when it asks.
/// </summary>
internal sealed class DatabasePool : IAsyncDisposable
{
    private readonly Func<Task<string>> _clone;
    private readonly int _size;

    // Each spare, or the failure of a clone that a test is to be told about: one taker per element.
    private readonly Channel<Task<string>> _spares = Channel.CreateUnbounded<Task<string>>();

    // Room for spares: taken by a refill before it starts a clone, given back by a test that takes one.
    private readonly SemaphoreSlim _room;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task[] _refills;

    /// <param name="size">How many spares to keep.</param>
    /// <param name="clone">Makes a new clone and returns its name.</param>
    public DatabasePool(int size, Func<Task<string>> clone)
    {
        _size = size;
        _clone = clone;
        _room = new SemaphoreSlim(size);
        // As many clones at once as there is room for: a FILE_COPY clone spends much of its time waiting for the
        // checkpoints it asks for, which clones under way together share. All 16 at once refilled at 2.2 times the rate
        // of clones one after another, 4 at once at 1.4 times (docs/benchmarks.md, "The pool").
        _refills = Enumerable.Range(0, size).Select(_ => Task.Run(RefillAsync)).ToArray();
    }

    /// <summary>A database of the caller's own: a spare when there is one, else the next clone the refill makes.</summary>
    public async Task<string> TakeAsync(CancellationToken cancellationToken)
    {
        if (_size == 0)
        {
            return await _clone().ConfigureAwait(false);
        }

        var spare = await _spares.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        _room.Release();
        return await spare.ConfigureAwait(false);
    }

    /// <summary>
    /// Stops the refill and waits for the clones under way, so that every database the pool made is on the server
    /// when this returns: the server then drops them with the rest of the run's.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_refills).ConfigureAwait(false);
        _stopping.Dispose();
        _room.Dispose();
    }

    private async Task RefillAsync()
    {
        while (true)
        {
            try
            {
                await _room.WaitAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            // A clone under way is not cancelled: it finishes, and the run's end drops it.
            Task<string> spare;
            try
            {
                spare = Task.FromResult(await _clone().ConfigureAwait(false));
            }
            catch (Exception ex)
            {
                // The test that takes this element gets the failure, in the kit's words; the refill goes on.
                spare = Task.FromException<string>(ex);
            }

            _spares.Writer.TryWrite(spare);
        }
    }
}
