using DualCache.Memcached;
using DualCache.WebApp.Caching;
using Microsoft.Extensions.Options;

namespace DualCache.WebApp.Sessions;

/// <summary>
/// Warns when the session store evicts: memcached dropped items to make room, and on this role every item is
/// somebody's sign-in ticket or cart. The object cache may evict as it likes; this one needs more memory.
/// </summary>
public sealed partial class SessionEvictionMonitor(
    [FromKeyedServices(CacheRoles.Sessions)] IMemcachedClient sessions,
    IOptions<SessionEvictionMonitorOptions> options,
    ILogger<SessionEvictionMonitor> logger) : BackgroundService
{
    private readonly Dictionary<MemcachedEndPoint, long> _lastSeen = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.CheckInterval);
        do
        {
            await CheckAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Compares each server's eviction count with the last reading; the first reading only sets the baseline.</summary>
    internal async Task CheckAsync(CancellationToken cancellationToken)
    {
        foreach (var server in await sessions.GetStatsAsync(cancellationToken))
        {
            if (!server.IsAvailable)
            {
                continue;
            }

            // A restarted server counts from zero again, which is a new baseline, not a rise.
            if (_lastSeen.TryGetValue(server.EndPoint, out var previous) && server.Evictions > previous)
            {
                LogSessionsEvicted(logger, server.Evictions - previous, server.EndPoint, server.BytesUsed, server.MemoryLimit);
            }

            _lastSeen[server.EndPoint] = server.Evictions;
        }
    }

    [LoggerMessage(EventId = 2301, Level = LogLevel.Warning,
        Message = "The session store evicted {Evicted} item(s) on {Server} ({BytesUsed} of {MemoryLimit} bytes used): visitors are being signed out or losing their carts. Give the sessions server more memory (-m)")]
    private static partial void LogSessionsEvicted(ILogger logger, long evicted, MemcachedEndPoint server, long bytesUsed, long memoryLimit);
}
