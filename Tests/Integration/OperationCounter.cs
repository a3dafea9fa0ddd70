using DualCache.Memcached;
using DualCache.Memcached.Diagnostics;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace DualCache.Tests.Integration;

/// <summary>
/// The memcached operations one client sends, from the client's own metrics. The client's housekeeping (<c>stats</c>,
/// <c>version</c>) is left out: a test that reads the server gauges makes every client in the process send
/// <c>stats</c>, whenever that test happens to run.
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
            .Where(operation => !OperationTelemetry.IsHousekeeping(operation)),
    ];

    public void Clear() => _operations.Clear();

    public void Dispose() => _operations.Dispose();
}
