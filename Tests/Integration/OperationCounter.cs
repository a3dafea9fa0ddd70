using DualCache.Memcached;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace DualCache.Tests.Integration;

/// <summary>
/// The memcached operations one client sends, from the client's own metrics. <c>stats</c> is left out: a test that
/// reads the server gauges makes every client in the process send it, whenever that test happens to run.
/// </summary>
public sealed class OperationCounter(string clientName) : IDisposable
{
    // Clients made without dependency injection share one meter, which has no scope.
    private readonly MetricCollector<long> _operations = new(meterScope: null, MemcachedMetrics.MeterName, "memcached.client.operations");

    public string ClientName { get; } = clientName;

    public IReadOnlyList<string> Operations =>
    [
        .. _operations.GetMeasurementSnapshot()
            .Where(measurement => (string?)measurement.Tags[MemcachedMetrics.ClientTag] == ClientName)
            .Select(measurement => (string)measurement.Tags[MemcachedMetrics.OperationTag]!)
            .Where(operation => operation != "stats"),
    ];

    public void Clear() => _operations.Clear();

    public void Dispose() => _operations.Dispose();
}
