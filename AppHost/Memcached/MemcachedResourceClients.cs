using System.Collections.Concurrent;
using DualCache.Memcached;

namespace DualCache.AppHost.Memcached;

/// <summary>
/// One DualCache.Memcached client per memcached resource, for the AppHost's own health checks and dashboard commands.
/// Each resource's connection string is captured once, when Aspire announces it, and its client is made on first use
/// and kept: a health check every few seconds should not cost a new connection each time.
/// </summary>
internal sealed class MemcachedResourceClients : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, string> _connectionStrings = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<MemcachedClient>> _clients = new(StringComparer.Ordinal);

    public void ConnectionStringAvailable(IMemcachedResource resource, string connectionString) =>
        _connectionStrings[resource.Name] = connectionString;

    /// <summary>The resource's client, or <see langword="null"/> while its connection string is not known yet.</summary>
    public MemcachedClient? For(IMemcachedResource resource)
    {
        if (!_connectionStrings.TryGetValue(resource.Name, out var servers))
        {
            return null;
        }

        return _clients.GetOrAdd(resource.Name, name => new Lazy<MemcachedClient>(() => new MemcachedClient(name, new MemcachedClientOptions
        {
            Servers = servers,
            // A stopped container is seen within a health-check period or two, and so is its return.
            DeadServerRetryInitial = TimeSpan.FromMilliseconds(250),
            DeadServerRetryMax = TimeSpan.FromSeconds(2),
            ConnectionsPerServer = 1,
            // The AppHost exports no telemetry of its own; the web app's clients are the ones measured.
            DisableMetrics = true,
            DisableTracing = true,
        }))).Value;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients.Values.Where(c => c.IsValueCreated))
        {
            await client.Value.DisposeAsync();
        }
    }
}
