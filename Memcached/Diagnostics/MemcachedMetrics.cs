using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace DualCache.Memcached;

/// <summary>
/// The <c>DualCache.Memcached</c> meter. Every measurement carries <c>memcached.client</c> (the role), so one
/// dashboard shows the object cache and the session store apart.
/// </summary>
public sealed class MemcachedMetrics : IDisposable
{
    public const string MeterName = "DualCache.Memcached";

    public const string ClientTag = "memcached.client";
    public const string ServerTag = "memcached.server";
    public const string OperationTag = "memcached.operation";

    private readonly Meter _meter;
    // Weak, so that a client made without DI and never disposed can still be collected.
    private readonly ConditionalWeakTable<MemcachedClient, object?> _observed = new();

    public MemcachedMetrics(IMeterFactory meterFactory)
        : this(meterFactory.Create(MeterName))
    {
    }

    private MemcachedMetrics(Meter meter)
    {
        _meter = meter;
        Operations = meter.CreateCounter<long>("memcached.client.operations", "{operation}", "Operations sent, by role, server and operation.");
        Hits = meter.CreateCounter<long>("memcached.client.hits", "{hit}", "Reads that found their key.");
        Misses = meter.CreateCounter<long>("memcached.client.misses", "{miss}", "Reads that did not find their key.");
        Errors = meter.CreateCounter<long>("memcached.client.errors", "{error}", "Operations that failed: server down, timeout, refused.");
        Duration = meter.CreateHistogram<double>("memcached.client.operation.duration", "s", "Time from sending an operation to its response.");

        meter.CreateObservableGauge("memcached.server.items", () => Observe(s => s.CurrentItems), "{item}", "Items stored on the server.");
        meter.CreateObservableGauge("memcached.server.bytes", () => Observe(s => s.BytesUsed), "By", "Bytes used for items.");
        meter.CreateObservableGauge("memcached.server.limit", () => Observe(s => s.MemoryLimit), "By", "The server's memory limit (-m).");
        meter.CreateObservableCounter("memcached.server.evictions", () => Observe(s => s.Evictions), "{item}", "Items evicted to make room; on the session store each one signs somebody out.");
        meter.CreateObservableGauge("memcached.server.connections", () => Observe(s => s.CurrentConnections), "{connection}", "Open connections to the server.");
    }

    /// <summary>For clients made without dependency injection.</summary>
    internal static MemcachedMetrics Shared { get; } = new(new Meter(MeterName));

    internal Counter<long> Operations { get; }

    internal Counter<long> Hits { get; }

    internal Counter<long> Misses { get; }

    internal Counter<long> Errors { get; }

    internal Histogram<double> Duration { get; }

    public void Dispose() => _meter.Dispose();

    internal void Observe(MemcachedClient client) => _observed.TryAdd(client, null);

    internal void StopObserving(MemcachedClient client) => _observed.Remove(client);

    private IEnumerable<Measurement<long>> Observe(Func<MemcachedServerStats, long> read)
    {
        foreach (var (client, _) in _observed)
        {
            foreach (var stats in client.LatestStats())
            {
                if (stats.IsAvailable)
                {
                    yield return new Measurement<long>(read(stats), new TagList
                    {
                        { ClientTag, client.Name },
                        { ServerTag, stats.EndPoint.ToString() },
                    });
                }
            }
        }
    }
}
