using System.Buffers;
using System.Text;
using DualCache.Memcached.Protocol;

namespace DualCache.Memcached.Connections;

/// <summary>
/// memcached's ASCII authentication (<c>memcached -Y</c>): a <c>set</c> carrying "username password", sent and answered
/// before the connection is handed to callers.
/// </summary>
internal static class MemcachedAuthentication
{
    public static void Authenticate(Stream stream, MemcachedEndPoint endPoint, MemcachedClientOptions options)
    {
        var request = new ArrayBufferWriter<byte>();
        MetaRequestWriter.WriteAuthentication(request, Encoding.UTF8.GetBytes($"{options.Username} {options.Password}"));
        stream.Write(request.WrittenSpan);

        var buffer = new byte[256];
        var length = 0;
        while (true)
        {
            var read = stream.Read(buffer.AsSpan(length));
            if (read == 0)
            {
                throw new MemcachedServerUnavailableException($"memcached at {endPoint} closed the connection during authentication.");
            }

            length += read;
            if (MetaProtocolParser.TryParse(buffer.AsSpan(0, length), out var response, out _, out _))
            {
                if (response.Kind == ResponseKind.Stored)
                {
                    return;
                }

                throw new MemcachedServerUnavailableException(
                    $"memcached at {endPoint} refused the credentials in Username/Password: {MetaProtocolParser.Printable(response.Arguments)}");
            }

            if (length == buffer.Length)
            {
                throw new MemcachedProtocolException($"memcached at {endPoint} sent an overlong answer to authentication.");
            }
        }
    }
}
