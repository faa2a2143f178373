using System.Net.Sockets;
using System.Text;

namespace ReferralOS.Sdk.Testing;

/// <summary>Whether a Docker engine answers, asked the cheap way: <c>GET /_ping</c> on its socket, with a short timeout.</summary>
internal static class DockerEngine
{
    private const string DefaultSocket = "/var/run/docker.sock";
    private static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Where the engine is asked: <c>DOCKER_HOST</c>, else the default socket.</summary>
    public static string Endpoint => Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } host ? host : "unix://" + DefaultSocket;

    public static async Task<bool> AnswersAsync(CancellationToken cancellationToken)
    {
        var endpoint = Endpoint;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(PingTimeout);
            if (endpoint.StartsWith("tcp://", StringComparison.OrdinalIgnoreCase))
            {
                using var http = new HttpClient { Timeout = PingTimeout };
                var response = await http.GetAsync(new Uri(new Uri("http://" + endpoint["tcp://".Length..]), "/_ping"), timeout.Token).ConfigureAwait(false);
                return response.IsSuccessStatusCode;
            }

            var socketPath = endpoint.StartsWith("unix://", StringComparison.OrdinalIgnoreCase) ? endpoint["unix://".Length..] : DefaultSocket;
            if (!File.Exists(socketPath))
            {
                return false;
            }

            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), timeout.Token).ConfigureAwait(false);
            await socket.SendAsync(Encoding.ASCII.GetBytes("GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n"), timeout.Token).ConfigureAwait(false);
            var buffer = new byte[256];
            var read = await socket.ReceiveAsync(buffer, timeout.Token).ConfigureAwait(false);
            var status = Encoding.ASCII.GetString(buffer, 0, read);
            return status.StartsWith("HTTP/1.0 200", StringComparison.Ordinal) || status.StartsWith("HTTP/1.1 200", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is SocketException or IOException or HttpRequestException or UriFormatException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
