using System.Globalization;
using DualCache.Memcached;

namespace DualCache.WebApp.Models;

/// <summary>One memcached role as the caches page shows it, live from <c>stats</c>.</summary>
public sealed record CacheRoleStatus(string Name, string Holds, string KeyPrefix, IReadOnlyList<CacheServerStatus> Servers);

/// <summary>One server of a role.</summary>
public sealed record CacheServerStatus(MemcachedServerStats Stats)
{
    // A read that also slides the expiry (mg with T: every ticket and session read) is counted by memcached as a
    // touch, not a get; without the touches the session store would look as if nobody read it.
    public long Hits => Stats.GetHits + Number("touch_hits");

    public long Misses => Stats.GetMisses + Number("touch_misses");

    public double? HitRatio => Hits + Misses is var reads and > 0 ? (double)Hits / reads : null;

    public double MemoryUsed => Stats.MemoryLimit > 0 ? (double)Stats.BytesUsed / Stats.MemoryLimit : 0;

    private long Number(string name) =>
        Stats.Values.TryGetValue(name, out var text) && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : 0;
}

/// <param name="SharedServers">Servers both roles use (single-server mode when they are all of them).</param>
public sealed record CachesViewModel(IReadOnlyList<CacheRoleStatus> Roles, IReadOnlyList<MemcachedEndPoint> SharedServers, bool CanFlush);

public sealed record FlushConfirmationViewModel(string Role, string Holds, IReadOnlyList<MemcachedEndPoint> Servers, bool SharesServers);
