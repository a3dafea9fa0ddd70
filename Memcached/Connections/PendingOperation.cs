using System.Buffers;
using DualCache.Memcached.Protocol;

namespace DualCache.Memcached.Connections;

/// <summary>
/// A request written to a connection and waiting, in order, for its response. The connection hands each response
/// to the oldest waiting operation, so a response always reaches the request it answers.
/// </summary>
internal abstract class PendingOperation
{
    /// <summary>When the response is overdue (a <see cref="System.Diagnostics.Stopwatch"/> timestamp).</summary>
    public long Deadline { get; set; }

    /// <summary>Set by an error response after which the stream can no longer be trusted to be in step.</summary>
    public bool RequiresReset { get; protected set; }

    public abstract void Write(IBufferWriter<byte> writer, ReadOnlySpan<byte> key);

    /// <summary>Takes one response; returns true when the operation has all it waits for.</summary>
    /// <exception cref="MemcachedProtocolException">The response cannot answer this request.</exception>
    public abstract bool OnResponse(in MetaResponse response);

    /// <summary>Publishes the result gathered by <see cref="OnResponse"/>.</summary>
    public abstract void Complete();

    public abstract void Fail(Exception exception);

    protected static MemcachedException ErrorFrom(in MetaResponse response, string command) => response.Kind switch
    {
        ResponseKind.ServerError => new MemcachedException($"memcached could not carry out {command}: {MetaProtocolParser.Printable(response.Arguments)}"),
        ResponseKind.ClientError => new MemcachedProtocolException($"memcached rejected {command}: {MetaProtocolParser.Printable(response.Arguments)}"),
        ResponseKind.Error => new MemcachedProtocolException($"memcached does not know the command {command} (meta commands need memcached 1.6 or later)."),
        _ => new MemcachedProtocolException($"memcached answered {command} with {response.Kind}, which cannot answer it."),
    };
}
