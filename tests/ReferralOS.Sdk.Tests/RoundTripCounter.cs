using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace ReferralOS.Sdk.Tests;

/// <summary>
/// A loopback proxy in front of the test server that counts round trips as the PostgreSQL wire protocol defines
/// them: every Sync (extended protocol) and every Query (simple protocol) message a client sends ends one exchange
/// it must wait for. Independent of Npgsql internals and of the server's logging settings.
/// </summary>
public sealed class RoundTripCounter : IAsyncDisposable
{
    private const int SslRequest = 80877103;
    private const int GssEncRequest = 80877104;

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _host;
    private readonly int _port;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _clients = [];
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
        lock (_clients)
        {
            _clients.ForEach(c => c.Dispose());
        }

        await _accepting.ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }

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
        lock (_clients)
        {
            _clients.Add(client);
            _clients.Add(server);
        }

        try
        {
            await server.ConnectAsync(_host, _port, _stop.Token);
            var toClient = server.GetStream().CopyToAsync(client.GetStream(), _stop.Token);
            await CountingCopyAsync(client.GetStream(), server.GetStream());
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

    /// <summary>Forwards client messages one by one, counting those that end an exchange.</summary>
    private async Task CountingCopyAsync(NetworkStream from, NetworkStream to)
    {
        var header = new byte[5];
        var startup = true;
        while (true)
        {
            // Startup-phase messages have no type byte: length, then a request code.
            var headerLength = startup ? 4 : 5;
            if (!await ReadExactlyAsync(from, header.AsMemory(0, headerLength)))
            {
                return;
            }

            var length = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(headerLength - 4, 4));
            var body = new byte[length - 4];
            if (!await ReadExactlyAsync(from, body))
            {
                return;
            }

            if (startup)
            {
                var code = BinaryPrimitives.ReadInt32BigEndian(body);
                startup = code is SslRequest or GssEncRequest;
            }
            else if (header[0] is (byte)'S' or (byte)'Q')
            {
                Interlocked.Increment(ref _roundTrips);
            }

            await to.WriteAsync(header.AsMemory(0, headerLength), _stop.Token);
            await to.WriteAsync(body, _stop.Token);
        }
    }

    private async Task<bool> ReadExactlyAsync(NetworkStream stream, Memory<byte> buffer)
    {
        try
        {
            await stream.ReadExactlyAsync(buffer, _stop.Token);
            return true;
        }
        catch (EndOfStreamException)
        {
            return false;
        }
    }
}
