using System.Buffers;
using System.Buffers.Text;
using DualCache.Memcached.Protocol;

namespace DualCache.Memcached.Connections;

/// <summary>
/// A request written to a connection and waiting, in order, for its response. The connection hands each response
/// to the oldest waiting operation, which takes it only if it carries the operation's own opaque token.
/// </summary>
internal abstract class PendingOperation
{
    /// <summary>When the response is overdue (a <see cref="System.Diagnostics.Stopwatch"/> timestamp).</summary>
    public long Deadline { get; set; }

    /// <summary>Set by an error response after which the stream can no longer be trusted to be in step.</summary>
    public bool RequiresReset { get; protected set; }

    /// <summary>The first opaque token of this request, given by the connection just before <see cref="Write"/>.</summary>
    public uint Token { get; set; }

    /// <summary>The bytes the request took in the send buffer, counted while it waits for its answer.</summary>
    public int RequestLength { get; set; }

    /// <summary>How many opaque tokens the request uses: one per meta command it writes.</summary>
    public virtual int TokenCount => 1;

    public abstract void Write(IBufferWriter<byte> writer, ReadOnlySpan<byte> key);

    /// <summary>Takes one response; returns true when the operation has all it waits for.</summary>
    /// <exception cref="MemcachedProtocolException">The response cannot answer this request.</exception>
    public abstract bool OnResponse(in MetaResponse response);

    /// <summary>
    /// Publishes the result gathered by <see cref="OnResponse"/>; inline, the caller's continuation runs on this thread.
    /// Returns what a tracing or metrics listener threw while recording it, for the connection to log: the caller
    /// still gets its result.
    /// </summary>
    public abstract Exception? Complete(bool inline);

    public abstract void Fail(Exception exception);

    /// <summary>
    /// Said once, by whoever holds the operation last on the connection's side: the reader that took its answer, the
    /// connection that failed it, or the sender that never queued it. Until then a response may still be matched to
    /// it, so a reusable operation must not be reused before this, even if its caller has long stopped waiting.
    /// </summary>
    public virtual void LeaveConnection()
    {
    }

    /// <summary>Fails an operation no connection holds (never queued, or refused at the door): the connection's side lets go at once.</summary>
    public void FailUnsent(Exception exception)
    {
        Fail(exception);
        LeaveConnection();
    }

    /// <summary>The opaque token a meta response echoes; a response without one cannot be matched to any request.</summary>
    /// <exception cref="MemcachedProtocolException">The response carries no numeric token.</exception>
    protected static uint EchoedToken(in MetaResponse response, string command) =>
        MetaFlags.TryGetToken(response.Arguments, (byte)'O', out var token) && Utf8Parser.TryParse(token, out uint value, out var used) && used == token.Length
            ? value
            : throw OutOfStep(command, "an answer without the opaque token it was sent");

    /// <summary>Why the connection is closed when an answer is not this request's: nobody gets another request's answer.</summary>
    protected static MemcachedProtocolException OutOfStep(string command, string what) =>
        new($"memcached answered {command} with {what}: its answers are out of step with the requests. The connection is closed and every request waiting on it failed, so that no answer reaches the wrong caller.");

    protected static MemcachedException ErrorFrom(in MetaResponse response, string command) => response.Kind switch
    {
        ResponseKind.ServerError => new MemcachedException($"memcached could not carry out {command}: {MetaProtocolParser.Printable(response.Arguments)}"),
        ResponseKind.ClientError => new MemcachedProtocolException($"memcached rejected {command}: {MetaProtocolParser.Printable(response.Arguments)}"),
        ResponseKind.Error => new MemcachedProtocolException($"memcached does not know the command {command} (meta commands need memcached 1.6 or later)."),
        _ => new MemcachedProtocolException($"memcached answered {command} with {response.Kind}, which cannot answer it."),
    };
}
