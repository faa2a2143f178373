using System.Net.Sockets;
using System.Text;

namespace ReferralOS.Sdk.Testing;

/// <summary>Whether a Docker engine answers, asked the cheap way: <c>GET /_ping</c> on its socket, with a short timeout.</summary>
internal static class DockerEngine
{
    private static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(2);

    public static async Task<bool> AnswersAsync(CancellationToken cancellationToken)
    {
        var host = Environment.GetEnvironmentVariable("DOCKER_HOST");
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(PingTimeout);
            if (host is not null && host.StartsWith("tcp://", StringComparison.OrdinalIgnoreCase))
            {
                using var http = new HttpClient { Timeout = PingTimeout };
                var response = await http.GetAsync(new Uri(new Uri("http://" + host["tcp://".Length..]), "/_ping"), timeout.Token).ConfigureAwait(false);
                return response.IsSuccessStatusCode;
            }

            var socketPath = host is not null && host.StartsWith("unix://", StringComparison.OrdinalIgnoreCase) ? host["unix://".Length..] : "/var/run/docker.sock";
            if (!File.Exists(socketPath))
            {
                return false;
            }

            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), timeout.Token).ConfigureAwait(false);
            await socket.SendAsync(Encoding.ASCII.GetBytes("GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n"), timeout.Token).ConfigureAwait(false);
            var buffer = new byte[256];
            var read = await socket.ReceiveAsync(buffer, timeout.Token).ConfigureAwait(false);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("HTTP/1.0 200", StringComparison.Ordinal) ||
                   Encoding.ASCII.GetString(buffer, 0, read).StartsWith("HTTP/1.1 200", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is SocketException or IOException or HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
