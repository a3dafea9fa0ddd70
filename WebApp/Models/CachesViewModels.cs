using DualCache.Memcached;

namespace DualCache.WebApp.Models;

/// <summary>One memcached role as the caches page shows it, live from <c>stats</c>.</summary>
public sealed record CacheRoleStatus(string Name, string Holds, string KeyPrefix, IReadOnlyList<CacheServerStatus> Servers);

/// <summary>One server of a role.</summary>
public sealed record CacheServerStatus(MemcachedServerStats Stats)
{
    public long Hits => Stats.Hits;

    public long Misses => Stats.Misses;

    public double? HitRatio => Stats.HitRatio;

    public double MemoryUsed => Stats.MemoryLimit > 0 ? (double)Stats.BytesUsed / Stats.MemoryLimit : 0;
}

/// <param name="SharedServers">Servers both roles use (single-server mode when they are all of them).</param>
public sealed record CachesViewModel(IReadOnlyList<CacheRoleStatus> Roles, IReadOnlyList<MemcachedEndPoint> SharedServers, bool CanFlush);

public sealed record FlushConfirmationViewModel(string Role, string Holds, IReadOnlyList<MemcachedEndPoint> Servers, bool SharesServers);
