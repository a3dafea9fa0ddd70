using System.Buffers;
using System.Diagnostics;
using System.Net.Sockets;
using DualCache.Memcached.Protocol;
using Microsoft.Extensions.Logging;

namespace DualCache.Memcached.Connections;

/// <summary>
/// One socket to one server, shared by every caller. Requests are appended to a send buffer and written in batches;
/// a single reader parses responses as they arrive and hands each to the oldest waiting request (memcached answers in
/// order). Every meta request carries an opaque token of this connection, and its response must echo it: an answer
/// out of order, duplicated or lost shows as a wrong token, and closes the connection. When a response is overdue, or
/// breaks the protocol, the connection is closed, failing everything still waiting on it, so that no response can
/// ever be read as the answer to another request.
/// </summary>
/// <remarks>
/// The connection has a thread of its own that opens the socket and then reads from it, blocking in receive, so that
/// the kernel wakes it directly when answers arrive. Callers' continuations run on the thread pool, unless
/// <see cref="MemcachedClientOptions.UnsafePreferInlineScheduling"/> runs them on this thread, which then also writes
/// the requests they make: no other thread is woken per batch of answers, which is what brings the client's CPU per
/// operation below memcached's (Benchmarks/README.md). The socket only ever sees blocking calls: .NET makes a socket
/// non-blocking for good at its first asynchronous call, and then emulates blocking calls with its event loop's
/// wake-ups. Closing the socket is what ends a blocked call on Linux; a send also gives up after the operation timeout.
/// </remarks>
internal sealed partial class MemcachedConnection : IAsyncDisposable, IThreadPoolWorkItem
{
    private const int ReceiveBufferSize = 64 * 1024;
    private const int SendBufferKeep = 1024 * 1024;

    /// <summary>
    /// The reader writes only while every request not yet answered, the batch included, is within this: memcached's
    /// receive buffer (Linux starts it at 128 KB) holds that much even while memcached is not reading, so the write
    /// cannot block the thread that would read the answers memcached may be blocked on.
    /// </summary>
    private const int ReaderWriteLimit = 16 * 1024;

    /// <summary>
    /// On a connection's reader thread: the connections whose requests it writes once it has handed out its answers.
    /// Callers' code runs there only with <see cref="MemcachedClientOptions.UnsafePreferInlineScheduling"/>; their next
    /// requests, to any connection, then go out without waking a thread to write them.
    /// </summary>
    [ThreadStatic]
    private static List<MemcachedConnection>? t_owedWrites;

    private readonly MemcachedEndPoint _endPoint;
    private readonly Stream _stream;
    private readonly TimeSpan _timeout;
    private readonly bool _inline;
    private readonly long _timeoutTicks;
    private readonly long _keepAliveTicks;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly Queue<PendingOperation> _inFlight = new();

    /// <summary>The requests in the send buffer, not yet handed to the socket: their time limit has not started (not inline).</summary>
    private readonly List<PendingOperation> _unwritten = [];

    /// <summary>The operation the reader is giving a response to, outside the lock: a fault leaves it to the reader to let go of.</summary>
    private PendingOperation? _answering;
    private readonly Timer _timeoutTimer;
    private ArrayBufferWriter<byte> _pending = new(16 * 1024);
    private ArrayBufferWriter<byte> _sending = new(16 * 1024);
    private bool _flushing;
    private long _inFlightBytes;
    private Exception? _fault;
    private uint _nextToken;
    private long _lastSentAt = Stopwatch.GetTimestamp();
    private long _maxValueLength = MetaProtocolParser.UnknownLimitMaxValueLength;

    private MemcachedConnection(MemcachedEndPoint endPoint, Stream stream, MemcachedClientOptions options, ILogger logger)
    {
        _endPoint = endPoint;
        _stream = stream;
        _timeout = options.OperationTimeout;
        _inline = options.UnsafePreferInlineScheduling;
        _timeoutTicks = (long)(_timeout.TotalSeconds * Stopwatch.Frequency);
        _keepAliveTicks = (long)(options.KeepAliveInterval.TotalSeconds * Stopwatch.Frequency);
        _logger = logger;
        // Checked often enough that a timeout fires at most 100 ms late.
        var period = TimeSpan.FromMilliseconds(Math.Clamp(_timeout.TotalMilliseconds / 10, 5, 100));
        _timeoutTimer = new Timer(static state => ((MemcachedConnection)state!).CheckTimeouts(), this, period, period);
    }

    public bool IsOpen => Volatile.Read(ref _fault) is null;

    /// <summary>The longest value the server may announce, from its <c>item_size_max</c> once known.</summary>
    public long MaxValueLength
    {
        get => Volatile.Read(ref _maxValueLength);
        set => Volatile.Write(ref _maxValueLength, value);
    }

    /// <summary>Queues an operation behind those already sent; its result arrives through the operation itself.</summary>
    public void Send(PendingOperation operation, ReadOnlySpan<byte> key)
    {
        Exception? fault;
        var startFlush = false;
        lock (_lock)
        {
            fault = _fault;
            if (fault is null)
            {
                // Tokens wrap after 2^32 requests; only the few in flight at once need to differ.
                operation.Token = _nextToken;
                _nextToken += (uint)operation.TokenCount;
                var written = _pending.WrittenCount;
                operation.Write(_pending, key);
                operation.RequestLength = _pending.WrittenCount - written;
                _inFlightBytes += operation.RequestLength;
                _lastSentAt = Stopwatch.GetTimestamp();

                // Its time limit is for the server's answer: it starts when the request is written (Flush). Until
                // then the request waits for a pool thread to write it, and on a pool that callers blocking on their
                // answers have starved, that can take longer than the limit while the server is healthy. Inline, the
                // connection's own thread writes, and a caller can block it: the limit starts at once, so that it
                // ends such a block.
                if (_inline)
                {
                    operation.Deadline = _lastSentAt + _timeoutTicks;
                }
                else
                {
                    operation.Deadline = long.MaxValue;
                    _unwritten.Add(operation);
                }

                _inFlight.Enqueue(operation);
                if (!_flushing)
                {
                    _flushing = true;
                    if (t_owedWrites is { } owed)
                    {
                        owed.Add(this);
                    }
                    else
                    {
                        startFlush = true;
                    }
                }
            }
        }

        if (fault is not null)
        {
            operation.FailUnsent(new MemcachedServerUnavailableException($"The connection to memcached at {_endPoint} is closed: {fault.Message}", fault));
        }
        else if (startFlush)
        {
            // Writing from the global queue instead of inline lets the callers whose continuations are already queued
            // add their requests first, so one send carries many: measured at about twice the throughput with 32 callers.
            // The connection is its own work item, so queueing it allocates nothing.
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    void IThreadPoolWorkItem.Execute() => Flush(fromReader: false);

    public ValueTask DisposeAsync()
    {
        Fault(new MemcachedServerUnavailableException($"The connection to memcached at {_endPoint} was closed by the client."));
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Writes what callers queued, in as few writes as possible; callers keep queueing while a write is under way. The
    /// reader writes only a little at a time, and leaves more to the thread pool.
    /// </summary>
    private void Flush(bool fromReader)
    {
        try
        {
            while (true)
            {
                ArrayBufferWriter<byte> batch;
                lock (_lock)
                {
                    if (_pending.WrittenCount == 0 || _fault is not null)
                    {
                        _flushing = false;
                        return;
                    }

                    if (fromReader && _inFlightBytes > ReaderWriteLimit)
                    {
                        break;
                    }

                    batch = _pending;
                    _pending = _sending;
                    _sending = batch;
                    var deadline = Stopwatch.GetTimestamp() + _timeoutTicks;
                    foreach (var operation in _unwritten)
                    {
                        operation.Deadline = deadline;
                    }

                    _unwritten.Clear();
                }

                _stream.Write(batch.WrittenSpan);
                if (batch.Capacity > SendBufferKeep)
                {
                    // A large value grew the buffer; do not hold that memory for the life of the connection.
                    lock (_lock)
                    {
                        _sending = new ArrayBufferWriter<byte>(16 * 1024);
                    }
                }
                else
                {
                    batch.ResetWrittenCount();
                }
            }
        }
        catch (Exception exception)
        {
            if (exception is IOException { InnerException: SocketException { SocketErrorCode: SocketError.TimedOut } } && IsOpen)
            {
                // The socket's send timeout: the server took none of the batch within the operation timeout.
                Fault(new MemcachedTimeoutException(
                    $"memcached at {_endPoint} took no request for {_timeout.TotalMilliseconds:0} ms: it has stopped reading. The connection was closed so that no answer can reach another request.",
                    exception));
                LogTimeout(_logger, _endPoint, _timeout);
                return;
            }

            Fault(Wrap(exception));
            return;
        }

        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    private void ReadLoop()
    {
        var owedWrites = t_owedWrites = [];
        var buffer = ArrayPool<byte>.Shared.Rent(ReceiveBufferSize);
        int start = 0, end = 0;
        try
        {
            while (true)
            {
                var read = _stream.Read(buffer.AsSpan(end));
                if (read == 0)
                {
                    throw new MemcachedServerUnavailableException($"memcached at {_endPoint} closed the connection.");
                }

                end += read;
                int required;
                try
                {
                    start = DispatchResponses(buffer, start, end, out required);
                }
                finally
                {
                    // By index: a listener of a failing write's telemetry could still add to the list.
                    for (var i = 0; i < owedWrites.Count; i++)
                    {
                        owedWrites[i].Flush(fromReader: true);
                    }

                    owedWrites.Clear();
                }

                if (start == end)
                {
                    start = end = 0;
                    if (buffer.Length > ReceiveBufferSize)
                    {
                        // A large value grew the buffer; give it back rather than hold it for the life of the connection.
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = ArrayPool<byte>.Shared.Rent(ReceiveBufferSize);
                    }
                }
                else if (start + required > buffer.Length || buffer.Length - end < 1024)
                {
                    // Make room for the rest of a partial response: slide it to the front, or move to a larger buffer.
                    var target = required > buffer.Length ? ArrayPool<byte>.Shared.Rent(required) : buffer;
                    Buffer.BlockCopy(buffer, start, target, 0, end - start);
                    if (target != buffer)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = target;
                    }

                    end -= start;
                    start = 0;
                }
            }
        }
        catch (Exception exception)
        {
            var wasOpen = IsOpen;
            Fault(Wrap(exception));
            if (exception is MemcachedProtocolException && wasOpen)
            {
                LogProtocolViolation(_logger, _endPoint, exception.Message);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Hands every complete response in the buffer to its operation; returns where the unparsed bytes start.</summary>
    private int DispatchResponses(byte[] buffer, int start, int end, out int required)
    {
        required = 0;
        while (start < end)
        {
            if (!MetaProtocolParser.TryParse(buffer.AsSpan(start, end - start), out var response, out var consumed, out required, MaxValueLength))
            {
                return start;
            }

            PendingOperation? operation;
            lock (_lock)
            {
                _inFlight.TryPeek(out operation);
                _answering = operation;
            }

            if (operation is null)
            {
                throw new MemcachedProtocolException($"memcached at {_endPoint} sent a response nobody asked for: {response.Kind}.");
            }

            // Should this throw, the connection faults with the operation still marked as being answered: nobody lets go
            // of it, so it is never reused, only collected.
            var done = operation.OnResponse(response);
            start += consumed;
            bool ours;
            lock (_lock)
            {
                _answering = null;

                // Not at the head any more only when a fault took it meanwhile, failed it, and left it to this reader.
                ours = _inFlight.TryPeek(out var head) && head == operation;
                if (ours && done)
                {
                    _inFlight.Dequeue();
                    _inFlightBytes -= operation.RequestLength;
                }
            }

            if (!ours)
            {
                operation.LeaveConnection();
                continue;
            }

            if (done)
            {
                var listenerError = operation.Complete(_inline);
                var requiresReset = operation.RequiresReset;
                operation.LeaveConnection();
                if (listenerError is not null)
                {
                    LogListenerFailure(_logger, _endPoint, listenerError);
                }

                if (requiresReset)
                {
                    throw new MemcachedProtocolException($"memcached at {_endPoint} answered with an error after which the connection may be out of step; it is closed.");
                }
            }
        }

        required = 0;
        return start;
    }

    private void CheckTimeouts()
    {
        // Read under the lock: once answered, an operation may be reused with another deadline.
        long? deadline;
        bool quiet;
        lock (_lock)
        {
            deadline = _inFlight.TryPeek(out var oldest) ? oldest.Deadline : null;
            quiet = deadline is null && _keepAliveTicks > 0 && Stopwatch.GetTimestamp() - _lastSentAt > _keepAliveTicks;
        }

        if (quiet)
        {
            // Its answer is not awaited: an answer that never comes times the probe out like any request, which closes
            // the connection. No span or metric: nobody asked for it.
            Send(TextOperation.VersionQuery(), []);
            return;
        }

        // Every request on a connection has the same timeout and they are answered in order, so only the oldest can be overdue first.
        if (deadline is { } due && Stopwatch.GetTimestamp() > due)
        {
            Fault(new MemcachedTimeoutException(
                $"memcached at {_endPoint} did not answer within {_timeout.TotalMilliseconds:0} ms. The connection was closed so that the late answer cannot reach another request."));
            LogTimeout(_logger, _endPoint, _timeout);
        }
    }

    private void Fault(Exception exception)
    {
        PendingOperation[] failed;
        PendingOperation? answering;
        lock (_lock)
        {
            if (_fault is not null)
            {
                return;
            }

            _fault = exception;
            failed = [.. _inFlight];
            _inFlight.Clear();
            _unwritten.Clear();
            _inFlightBytes = 0;
            answering = _answering;

            // Failed under the lock, so that the reader, which lets go of the one it is answering only after taking
            // the lock, never lets go of one still being failed. Continuations run on the thread pool, not here.
            foreach (var operation in failed)
            {
                operation.Fail(exception);
            }
        }

        _timeoutTimer.Dispose();
        try
        {
            _stream.Dispose();
        }
        catch (IOException)
        {
        }

        foreach (var operation in failed)
        {
            if (operation != answering)
            {
                operation.LeaveConnection();
            }
        }
    }

    private Exception Wrap(Exception exception) => exception switch
    {
        MemcachedException => exception,
        ObjectDisposedException when _fault is not null => _fault,
        _ => new MemcachedServerUnavailableException($"The connection to memcached at {_endPoint} failed: {exception.Message}", exception),
    };

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "A tracing or metrics listener threw while recording an operation on memcached at {EndPoint}; its caller got its result")]
    private static partial void LogListenerFailure(ILogger logger, MemcachedEndPoint endPoint, Exception error);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "memcached at {EndPoint} broke the protocol; closing the connection and failing every request waiting on it: {Reason}")]
    private static partial void LogProtocolViolation(ILogger logger, MemcachedEndPoint endPoint, string reason);

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "memcached at {EndPoint} did not answer within {Timeout}; closing the connection")]
    private static partial void LogTimeout(ILogger logger, MemcachedEndPoint endPoint, TimeSpan timeout);
}
