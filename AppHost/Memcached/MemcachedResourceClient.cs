using DualCache.Memcached;

namespace DualCache.AppHost.Memcached;

/// <summary>
/// A DualCache.Memcached client for one resource, made from its connection string when the health check or a command
/// needs it and disposed after: the AppHost talks to memcached seldom, so holding connections open would buy nothing.
/// </summary>
internal static class MemcachedResourceClient
{
    public static async Task<MemcachedClient> CreateAsync(IMemcachedResource resource, CancellationToken cancellationToken)
    {
        var servers = await resource.ConnectionStringExpression.GetValueAsync(cancellationToken)
            ?? throw new InvalidOperationException($"The connection string of '{resource.Name}' is not available yet.");

        return new MemcachedClient(resource.Name, new MemcachedClientOptions
        {
            Servers = servers,
            // The AppHost exports no telemetry of its own; the web app's clients are the ones measured.
            DisableMetrics = true,
            DisableTracing = true,
        });
    }
}
