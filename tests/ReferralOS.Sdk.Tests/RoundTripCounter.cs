using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace ReferralOS.Sdk.Tests;

/// <summary>
/// A loopback proxy in front of the test server that counts round trips on the wire: a round trip is the client
/// speaking after the server said ReadyForQuery — one more wait for the network and the server. Messages a client
/// pipelines (a batch, a pool reset sent with the next query) share one. Independent of Npgsql internals and of
/// the server's logging settings.
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
            var session = new Session();
            var toClient = FromServerAsync(server.GetStream(), client.GetStream(), session);
            await FromClientAsync(client.GetStream(), server.GetStream(), session);
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

    private async Task FromClientAsync(NetworkStream from, NetworkStream to, Session session)
    {
        var startup = true;
        while (true)
        {
            // Until the startup message, client messages have no type byte: a length, then a request code.
            var message = await ReadMessageAsync(from, typed: !startup);
            if (message is null)
            {
                return;
            }

            if (startup)
            {
                var code = BinaryPrimitives.ReadInt32BigEndian(message.AsSpan(4));
                startup = code is SslRequest or GssEncRequest;
                Volatile.Write(ref session.SingleByteAnswer, startup ? 1 : 0);
            }
            else if (Interlocked.Exchange(ref session.ServerReady, 0) == 1 && message[0] != (byte)'X')
            {
                Interlocked.Increment(ref _roundTrips);
            }

            await to.WriteAsync(message, _stop.Token);
        }
    }

    private async Task FromServerAsync(NetworkStream from, NetworkStream to, Session session)
    {
        while (true)
        {
            // The server answers an SSL or GSS encryption request with a single byte.
            var message = Interlocked.Exchange(ref session.SingleByteAnswer, 0) == 1 ? await ReadBytesAsync(from, 1) : await ReadMessageAsync(from, typed: true);
            if (message is null)
            {
                return;
            }

            if (message.Length > 1 && message[0] == (byte)'Z')
            {
                Volatile.Write(ref session.ServerReady, 1);
            }

            await to.WriteAsync(message, _stop.Token);
        }
    }

    private async Task<byte[]?> ReadMessageAsync(NetworkStream stream, bool typed)
    {
        var headerLength = typed ? 5 : 4;
        var header = await ReadBytesAsync(stream, headerLength);
        if (header is null)
        {
            return null;
        }

        var length = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(headerLength - 4));
        var message = new byte[headerLength + length - 4];
        header.CopyTo(message, 0);
        try
        {
            await stream.ReadExactlyAsync(message.AsMemory(headerLength), _stop.Token);
            return message;
        }
        catch (EndOfStreamException)
        {
            return null;
        }
    }

    private async Task<byte[]?> ReadBytesAsync(NetworkStream stream, int count)
    {
        var bytes = new byte[count];
        try
        {
            await stream.ReadExactlyAsync(bytes, _stop.Token);
            return bytes;
        }
        catch (EndOfStreamException)
        {
            return null;
        }
    }

    /// <summary>One client connection's protocol state, shared by its two directions.</summary>
    private sealed class Session
    {
        public int ServerReady;
        public int SingleByteAnswer;
    }
}
