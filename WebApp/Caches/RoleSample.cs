using DualCache.Memcached;

namespace DualCache.WebApp.Caches;

/// <summary>One role's counters at one moment, summed over the servers that answered.</summary>
public sealed record RoleSample(DateTimeOffset At, long Hits, long Misses, long Writes, long TotalItems)
{
    public static RoleSample Of(IEnumerable<MemcachedServerStats> servers, DateTimeOffset at)
    {
        var answered = servers.Where(server => server.IsAvailable).ToList();
        return new(at, answered.Sum(s => s.Hits), answered.Sum(s => s.Misses), answered.Sum(s => s.Writes), answered.Sum(s => s.TotalItems));
    }
}
