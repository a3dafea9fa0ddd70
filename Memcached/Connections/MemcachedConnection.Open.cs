using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Microsoft.Extensions.Logging;

namespace DualCache.Memcached.Connections;

internal sealed partial class MemcachedConnection
{
    /// <summary>Connects (resolving the host name afresh), does the TLS handshake and authentication, and starts reading.</summary>
    public static async Task<MemcachedConnection> OpenAsync(
        MemcachedEndPoint endPoint,
        MemcachedClientOptions options,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        connectTimeout.CancelAfter(options.ConnectTimeout);
        try
        {
            // Resolved here, where the time limit can end it: the connection's thread makes only blocking calls, and a
            // blocking name lookup cannot be interrupted.
            var addresses = await Dns.GetHostAddressesAsync(endPoint.Host, connectTimeout.Token);
            var opened = new TaskCompletionSource<MemcachedConnection>(TaskCreationOptions.RunContinuationsAsynchronously);
            var thread = new Thread(() =>
            {
                MemcachedConnection connection;
                try
                {
                    connection = Open(addresses, endPoint, options, logger, connectTimeout.Token);
                }
                catch (Exception exception)
                {
                    opened.SetException(exception);
                    return;
                }

                opened.SetResult(connection);
                connection.ReadLoop();
            })
            {
                IsBackground = true,
                Name = $"memcached {endPoint}",
            };
            thread.UnsafeStart();
            return await opened.Task;
        }
        catch (Exception exception)
        {
            throw exception switch
            {
                _ when cancellationToken.IsCancellationRequested => new OperationCanceledException(cancellationToken),
                _ when connectTimeout.IsCancellationRequested => new MemcachedServerUnavailableException($"Connecting to memcached at {endPoint} timed out after {options.ConnectTimeout}.", exception),
                AuthenticationException => new MemcachedServerUnavailableException($"The TLS handshake with memcached at {endPoint} failed: {exception.Message}", exception),
                MemcachedException => exception,
                _ => new MemcachedServerUnavailableException($"Cannot connect to memcached at {endPoint}: {exception.Message}", exception),
            };
        }
    }

    private static MemcachedConnection Open(IPAddress[] addresses, MemcachedEndPoint endPoint, MemcachedClientOptions options, ILogger logger, CancellationToken timeout)
    {
        // A write blocks while memcached does not read; it gives up when the requests it carries would have timed out.
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp)
        {
            NoDelay = true,
            // Rounded up: a socket takes 0 as no limit at all.
            SendTimeout = (int)Math.Clamp(Math.Ceiling(options.OperationTimeout.TotalMilliseconds), 1, int.MaxValue),
        };
        Stream? stream = null;
        try
        {
            // Blocking calls take no token: closing the socket is what ends them.
            using (timeout.UnsafeRegister(static state => ((Socket)state!).Dispose(), socket))
            {
                socket.Connect(addresses, endPoint.Port);
                stream = new NetworkStream(socket, ownsSocket: true);
                if (options.Tls.Enabled)
                {
                    var tls = new SslStream(stream, leaveInnerStreamOpen: false);
                    stream = tls;
                    tls.AuthenticateAsClient(MemcachedTls.ClientOptions(endPoint, options.Tls));
                }

                if (!string.IsNullOrEmpty(options.Username))
                {
                    MemcachedAuthentication.Authenticate(stream, endPoint, options);
                }
            }

            // The time may have run out just as the last step finished, closing the socket under it.
            timeout.ThrowIfCancellationRequested();
            return new MemcachedConnection(endPoint, stream, options, logger);
        }
        catch
        {
            stream?.Dispose();
            socket.Dispose();
            throw;
        }
    }
}
