using System.Threading.Tasks.Sources;
using DualCache.Memcached.Diagnostics;

namespace DualCache.Memcached.Connections;

/// <summary>
/// A pending operation that is itself the awaitable, so that an operation costs one object. Continuations run on the
/// thread pool, so that a caller's code never runs on (or blocks) the connection's reader, unless the client was told
/// otherwise (<see cref="MemcachedClientOptions.UnsafePreferInlineScheduling"/>).
/// </summary>
internal abstract class PendingOperation<TResult> : PendingOperation, IValueTaskSource<TResult>, IValueTaskSource
{
    private ManualResetValueTaskSourceCore<TResult> _source = new() { RunContinuationsAsynchronously = true };
    private int _finished;
    private CancellationTokenRegistration _cancellation;
    private OperationTelemetry _telemetry;

    protected TResult Result { get; set; } = default!;

    protected Exception? Error { get; set; }

    protected OperationOutcome Outcome { get; set; }

    public ValueTask<TResult> Task => new(this, _source.Version);

    /// <summary>The current use's version, which its awaitables carry as their token; a new use gets a new one.</summary>
    protected short Version => _source.Version;

    /// <summary>The same operation for callers that want no result.</summary>
    public ValueTask Completion => new(this, _source.Version);

    public void Start(OperationTelemetry telemetry, CancellationToken cancellationToken)
    {
        _telemetry = telemetry;
        if (cancellationToken.CanBeCanceled)
        {
            // A cancelled operation stays in the connection's queue to absorb its response; only its caller stops waiting.
            _cancellation = cancellationToken.UnsafeRegister(
                static (state, token) => ((PendingOperation<TResult>)state!).Fail(new OperationCanceledException(token)),
                this);
        }
    }

    public sealed override Exception? Complete(bool inline)
    {
        if (Error is { } error)
        {
            Fail(error);
            return null;
        }

        if (Interlocked.Exchange(ref _finished, 1) != 0)
        {
            return null;
        }

        _cancellation.Dispose();
        var listenerError = StopTelemetry(null);

        // Only an answer the connection's reader hands over may run its caller there; failures never do.
        _source.RunContinuationsAsynchronously = !inline;
        _source.SetResult(Result);
        return listenerError;
    }

    public sealed override void Fail(Exception exception)
    {
        if (Interlocked.Exchange(ref _finished, 1) == 0)
        {
            _cancellation.Dispose();

            // What a listener threw, at this failure or as the span started, goes unreported: this runs where no
            // logger is, the caller's thread or a fault's, and the same listener's next success is logged.
            StopTelemetry(exception);
            _source.SetException(exception);
        }
    }

    /// <summary>
    /// Records the operation's metrics and ends its span; returns what a listener threw then, or else as the span
    /// started: one error is logged per operation, enough to name a broken listener. Listeners are other people's
    /// code, run on whichever thread finishes the operation, often the connection's reader. What they throw is kept
    /// out of both the connection, where it would leave the caller waiting and could end the process, and the caller,
    /// whose operation succeeded: failing it would take the app off its degraded paths (they catch
    /// <see cref="MemcachedException"/>), and make a retry repeat a write that was done.
    /// </summary>
    private Exception? StopTelemetry(Exception? error)
    {
        try
        {
            _telemetry.Stop(Outcome, error);
            return _telemetry.ListenerError;
        }
        catch (Exception listenerError)
        {
            return listenerError;
        }
    }

    /// <summary>Readies a finished operation for another request; the awaitables of its previous use stop working.</summary>
    protected void ResetForReuse()
    {
        _source.Reset();
        _source.RunContinuationsAsynchronously = true;
        _finished = 0;
        _cancellation = default;
        _telemetry = default;
        Result = default!;
        Error = null;
        Outcome = default;
        RequiresReset = false;
        Deadline = 0;
        Token = 0;
    }

    /// <summary>Called when a caller has taken the result of the use its awaitable's token names; again if it takes it twice.</summary>
    protected virtual void OnResultTaken(short token)
    {
    }

    TResult IValueTaskSource<TResult>.GetResult(short token)
    {
        // A caller that asks too early (ValueTask.Result on a pending operation) gets the core's error and keeps its share.
        var taken = token == _source.Version && _source.GetStatus(token) != ValueTaskSourceStatus.Pending;
        try
        {
            return _source.GetResult(token);
        }
        finally
        {
            if (taken)
            {
                OnResultTaken(token);
            }
        }
    }

    ValueTaskSourceStatus IValueTaskSource<TResult>.GetStatus(short token) => _source.GetStatus(token);

    void IValueTaskSource.GetResult(short token) => ((IValueTaskSource<TResult>)this).GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _source.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _source.OnCompleted(continuation, state, token, flags);

    void IValueTaskSource<TResult>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _source.OnCompleted(continuation, state, token, flags);
}
