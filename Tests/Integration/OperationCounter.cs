using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using DualCache.Memcached;

namespace DualCache.Tests.Integration;

/// <summary>Counts the memcached operations one client sends, from the client's own metrics.</summary>
public sealed class OperationCounter : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<string> _operations = new();

    public OperationCounter(string clientName)
    {
        ClientName = clientName;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == MemcachedMetrics.MeterName && instrument.Name == "memcached.client.operations")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            string? client = null, operation = null;
            foreach (var tag in tags)
            {
                if (tag.Key == MemcachedMetrics.ClientTag)
                {
                    client = tag.Value as string;
                }
                else if (tag.Key == MemcachedMetrics.OperationTag)
                {
                    operation = tag.Value as string;
                }
            }

            if (client == clientName && operation is not null)
            {
                _operations.Enqueue(operation);
            }
        });
        _listener.Start();
    }

    public string ClientName { get; }

    public IReadOnlyList<string> Operations => [.. _operations];

    public void Clear() => _operations.Clear();

    public void Dispose() => _listener.Dispose();
}
