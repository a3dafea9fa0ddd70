using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using DualCache.Memcached;
using DualCache.Memcached.Diagnostics;

namespace DualCache.Tests.WebApp;

/// <summary>
/// The operations clients in this process send to one memcached server, from the clients' own metrics.
/// Filtered by server rather than by role name, so that tests running beside each other do not count each other.
/// <c>stats</c> and <c>version</c> are left out unless asked for: the app's eviction monitor, caches page and health
/// checks send them on their own schedule, and one landing inside a measured page view is not a cost of that page.
/// </summary>
public sealed class RoundTrips : IDisposable
{
    private const string OperationsInstrument = "memcached.client.operations";

    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<string> _operations = new();

    public RoundTrips(MemcachedEndPoint server, bool housekeeping = false)
    {
        var serverTag = server.ToString();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == MemcachedMetrics.MeterName && instrument.Name == OperationsInstrument)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            string? onServer = null, operation = null;
            foreach (var tag in tags)
            {
                switch (tag.Key)
                {
                    case MemcachedMetrics.ServerTag:
                        onServer = tag.Value as string;
                        break;
                    case MemcachedMetrics.OperationTag:
                        operation = tag.Value as string;
                        break;
                }
            }

            if (onServer == serverTag && operation is not null && (housekeeping || !OperationTelemetry.IsHousekeeping(operation)))
            {
                _operations.Enqueue(operation);
            }
        });
        _listener.Start();
    }

    public IReadOnlyList<string> Operations => [.. _operations];

    public void Clear() => _operations.Clear();

    public void Dispose() => _listener.Dispose();
}
