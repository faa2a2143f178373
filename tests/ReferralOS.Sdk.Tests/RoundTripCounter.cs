using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Npgsql;

namespace ReferralOS.Sdk.Tests;

/// <summary>
/// A loopback proxy in front of the test server that counts round trips from the PostgreSQL wire protocol: each
/// Sync (the end of an extended-protocol exchange, one per command or batch) and each simple Query is one wait for
/// the server — except the two simple queries Npgsql writes in front of the next command rather than on their own,
/// the pool reset (DISCARD ALL) and a deferred BEGIN. Counting messages, not timings, keeps it deterministic;
/// independent of the server's logging settings.
/// </summary>
public sealed class RoundTripCounter : IAsyncDisposable
{
    private const int SslRequest = 80877103;
    private const int GssEncRequest = 80877104;

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _host;
    private readonly int _port;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _sockets = [];
    private readonly Task _accepting;
    private int _roundTrips;

    public RoundTripCounter(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        _host = builder.Host ?? "127.0.0.1";
        _port = builder.Port;
        _listener.Start();
        builder.Host = "127.0.0.1";
        builder.Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        builder.SslMode = SslMode.Disable;
        builder.GssEncryptionMode = GssEncryptionMode.Disable;
        ConnectionString = builder.ConnectionString;
        _accepting = AcceptAsync();
    }

    /// <summary>Connects through the proxy.</summary>
    public string ConnectionString { get; }

    /// <summary>Round trips counted since the start or the last <see cref="Reset"/>.</summary>
    public int RoundTrips => Volatile.Read(ref _roundTrips);

    public void Reset() => Interlocked.Exchange(ref _roundTrips, 0);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        lock (_sockets)
        {
            _sockets.ForEach(s => s.Dispose());
        }

        await _accepting.ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }

    /// <summary>Whether a client message ends an exchange the client then waits for.</summary>
    private static bool EndsExchange(byte[] message) => message[0] switch
    {
        (byte)'S' => true,
        (byte)'Q' => !IsPipelinedByNpgsql(Encoding.UTF8.GetString(message, 5, message.Length - 6)),
        _ => false,
    };

    private static bool IsPipelinedByNpgsql(string query) =>
        query.StartsWith("DISCARD ALL", StringComparison.Ordinal) || query.StartsWith("BEGIN", StringComparison.Ordinal);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        var server = new TcpClient();
        lock (_sockets)
        {
            _sockets.Add(client);
            _sockets.Add(server);
        }

        try
        {
            await server.ConnectAsync(_host, _port, _stop.Token);
            var toClient = server.GetStream().CopyToAsync(client.GetStream(), _stop.Token);
            await FromClientAsync(client.GetStream(), server.GetStream());
            await toClient;
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // A side hung up: the other goes with it.
        }
        finally
        {
            client.Dispose();
            server.Dispose();
        }
    }

    private async Task FromClientAsync(NetworkStream from, NetworkStream to)
    {
        var startup = true;
        while (await ReadMessageAsync(from, typed: !startup) is { } message)
        {
            // Until the startup message, client messages have no type byte: a length, then a request code.
            if (startup)
            {
                startup = BinaryPrimitives.ReadInt32BigEndian(message.AsSpan(4)) is SslRequest or GssEncRequest;
            }
            else if (EndsExchange(message))
            {
                Interlocked.Increment(ref _roundTrips);
            }

            await to.WriteAsync(message, _stop.Token);
        }
    }

    private async Task<byte[]?> ReadMessageAsync(NetworkStream stream, bool typed)
    {
        var headerLength = typed ? 5 : 4;
        var header = new byte[headerLength];
        try
        {
            await stream.ReadExactlyAsync(header, _stop.Token);
            var message = new byte[headerLength + BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(headerLength - 4)) - 4];
            header.CopyTo(message, 0);
            await stream.ReadExactlyAsync(message.AsMemory(headerLength), _stop.Token);
            return message;
        }
        catch (EndOfStreamException)
        {
            return null;
        }
    }
}
