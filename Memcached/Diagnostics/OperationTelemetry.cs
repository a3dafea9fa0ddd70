using System.Diagnostics;

namespace DualCache.Memcached.Diagnostics;

/// <summary>Times one operation and records it when it ends; costs nothing beyond a timestamp when nobody listens.</summary>
internal readonly struct OperationTelemetry
{
    private readonly ServerTelemetry? _server;
    private readonly string _operation;
    private readonly long _started;
    private readonly Activity? _activity;

    private OperationTelemetry(ServerTelemetry server, string operation, Activity? activity, Exception? listenerError)
    {
        _server = server;
        _operation = operation;
        _started = Stopwatch.GetTimestamp();
        _activity = activity;
        ListenerError = listenerError;
    }

    /// <summary>What a tracing listener threw as the span started; the operation goes on without its span.</summary>
    public Exception? ListenerError { get; }

    public static OperationTelemetry Start(ServerTelemetry server, string operation)
    {
        Activity? activity = null;
        Exception? listenerError = null;
        var parent = Activity.Current;
        if (server.Tracing && MemcachedActivitySource.Source.HasListeners() && (parent is not null || !IsHousekeeping(operation)))
        {
            try
            {
                activity = MemcachedActivitySource.Source.StartActivity($"memcached {operation}", ActivityKind.Client);
            }
            catch (Exception error)
            {
                // A listener's sampler or its ActivityStarted threw, on the caller's thread: the caller still gets its
                // operation, without a span, and the connection logs the error when the operation ends.
                listenerError = error;
                EndStartedSpan(parent);
            }

            if (activity is not null)
            {
                activity.SetTag("db.system.name", "memcached");
                activity.SetTag("db.operation.name", operation);
                activity.SetTag("server.address", server.EndPoint.Host);
                activity.SetTag("server.port", server.EndPoint.Port);
                activity.SetTag(MemcachedMetrics.ClientTag, server.ClientName);

                // The operation completes on the connection's reader, not in the caller's flow: give the caller its span back.
                Activity.Current = parent;
            }
        }

        return new OperationTelemetry(server, operation, activity, listenerError);
    }

    /// <summary>
    /// A span starts, and becomes the current one, before the ActivityStarted listeners are told: when one of them
    /// threw, the span is running with nobody holding it. It is stopped, so that the listeners told of its start are
    /// told of its end, and the caller's flow is given its own span back, even if a listener throws at the stop too.
    /// </summary>
    private static void EndStartedSpan(Activity? parent)
    {
        if (Activity.Current is { } started && started != parent && started.Source == MemcachedActivitySource.Source)
        {
            try
            {
                started.SetStatus(ActivityStatusCode.Error, "A tracing listener failed as the span started.");
                started.Stop();
            }
            catch (Exception)
            {
            }
        }

        Activity.Current = parent;
    }

    /// <summary>
    /// <c>stats</c> and <c>version</c> outside any trace are the client's own upkeep (the metrics gauges' refresh, a
    /// monitor's poll): as traces of their own, every few seconds, they would bury the traces of real requests.
    /// Asked for within a request, they are part of its trace.
    /// </summary>
    internal static bool IsHousekeeping(string operation) => operation is "stats" or "version";

    public void Stop(OperationOutcome outcome, Exception? error)
    {
        if (_server is null)
        {
            return;
        }

        try
        {
            RecordMetrics(outcome, error);
        }
        finally
        {
            // A metrics listener that throws must not leave the span open.
            StopActivity(outcome, error);
        }
    }

    private void RecordMetrics(OperationOutcome outcome, Exception? error)
    {
        if (_server!.Metrics is { } metrics)
        {
            var tags = _server.Tags(_operation);
            metrics.Operations.Add(1, tags);
            metrics.Duration.Record(Stopwatch.GetElapsedTime(_started).TotalSeconds, tags);
            if (error is not null)
            {
                tags.Add("error.type", error.GetType().Name);
                metrics.Errors.Add(1, tags);
            }
            else if (outcome == OperationOutcome.Hit)
            {
                metrics.Hits.Add(1, tags);
            }
            else if (outcome == OperationOutcome.Miss)
            {
                metrics.Misses.Add(1, tags);
            }
        }
    }

    private void StopActivity(OperationOutcome outcome, Exception? error)
    {
        if (_activity is { } activity)
        {
            if (error is not null)
            {
                activity.SetStatus(ActivityStatusCode.Error, error.Message);
                activity.SetTag("error.type", error.GetType().Name);
            }
            else if (outcome != OperationOutcome.Done)
            {
                activity.SetTag("memcached.hit", outcome == OperationOutcome.Hit);
            }

            activity.Dispose();
        }
    }
}
