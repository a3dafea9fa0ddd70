using System.Diagnostics;

namespace DualCache.Memcached.Diagnostics;

/// <summary>What every measurement of one server of one role shares, worked out once.</summary>
internal sealed class ServerTelemetry(string clientName, MemcachedEndPoint endPoint, MemcachedMetrics? metrics, bool tracing)
{
    public string ClientName { get; } = clientName;

    public string Server { get; } = endPoint.ToString();

    public MemcachedEndPoint EndPoint { get; } = endPoint;

    public MemcachedMetrics? Metrics { get; } = metrics;

    public bool Tracing { get; } = tracing;

    public TagList Tags(string operation) => new()
    {
        { MemcachedMetrics.ClientTag, ClientName },
        { MemcachedMetrics.ServerTag, Server },
        { MemcachedMetrics.OperationTag, operation },
    };
}
