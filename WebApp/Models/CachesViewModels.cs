using DualCache.Memcached;
using DualCache.WebApp.Caches;

namespace DualCache.WebApp.Models;

/// <summary>Who looks at the caches page decides what it shows.</summary>
public enum CachesAudience
{
    /// <summary>What the page is and why it needs an admin; no figures.</summary>
    Anonymous,

    /// <summary>Each role's activity, summed; nothing that names or describes a server.</summary>
    Customer,

    /// <summary>Everything, per server, and the flush buttons.</summary>
    Admin,
}

/// <summary>One memcached role as the caches page shows it, live from <c>stats</c>.</summary>
/// <param name="KeyPrefix">Admins only.</param>
/// <param name="Activity">Signed-in visitors only.</param>
/// <param name="Servers">Admins only.</param>
public sealed record CacheRoleStatus(string Name, string Holds, string? KeyPrefix, RoleActivity? Activity, IReadOnlyList<CacheServerStatus> Servers);

/// <summary>One server of a role.</summary>
public sealed record CacheServerStatus(MemcachedServerStats Stats)
{
    public long Hits => Stats.Hits;

    public long Misses => Stats.Misses;

    public double? HitRatio => Stats.HitRatio;

    public double MemoryUsed => Stats.MemoryLimit > 0 ? (double)Stats.BytesUsed / Stats.MemoryLimit : 0;
}

/// <param name="SingleServerMode">Both roles use a server in common; shown to every signed-in visitor.</param>
/// <param name="SharedServers">Those servers: admins only.</param>
public sealed record CachesViewModel(
    CachesAudience Audience,
    IReadOnlyList<CacheRoleStatus> Roles,
    bool SingleServerMode,
    IReadOnlyList<MemcachedEndPoint> SharedServers,
    TimeSpan RefreshInterval)
{
    public bool CanFlush => Audience == CachesAudience.Admin;
}

public sealed record FlushConfirmationViewModel(string Role, string Holds, IReadOnlyList<MemcachedEndPoint> Servers, bool SharesServers);
