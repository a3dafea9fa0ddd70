using DualCache.Memcached;

namespace DualCache.WebApp.Caches;

/// <summary>
/// A role as a whole, summed over its servers: what a signed-in customer may see (no address, port, version or error).
/// </summary>
/// <param name="OperationsPerSecond">Reads and writes per second between the last two samples; <see langword="null"/> until there are two.</param>
/// <param name="StoredSinceFlush">Items written since this app's last flush of the role; <see langword="null"/> without one.</param>
public sealed record RoleActivity(
    int Servers,
    int ServersDown,
    long CurrentItems,
    long BytesUsed,
    long MemoryLimit,
    long Hits,
    long Misses,
    long Evictions,
    double? OperationsPerSecond,
    FlushRecord? LastFlush,
    long? StoredSinceFlush,
    ActivityChart Chart)
{
    public double? HitRatio => Hits + Misses is var reads and > 0 ? (double)Hits / reads : null;

    public double MemoryUsed => MemoryLimit > 0 ? (double)BytesUsed / MemoryLimit : 0;

    public static RoleActivity Of(IReadOnlyList<MemcachedServerStats> servers, IReadOnlyList<RoleSample> history, FlushRecord? lastFlush, DateTimeOffset now, TimeSpan window)
    {
        var answered = servers.Where(server => server.IsAvailable).ToList();
        double? perSecond = history.Count >= 2 && history[^1] is var last && history[^2] is var before && (last.At - before.At).TotalSeconds is var seconds and > 0
            ? Math.Max(0, last.Hits + last.Misses + last.Writes - before.Hits - before.Misses - before.Writes) / seconds
            : null;
        return new RoleActivity(
            servers.Count,
            servers.Count - answered.Count,
            answered.Sum(s => s.CurrentItems),
            answered.Sum(s => s.BytesUsed),
            answered.Sum(s => s.MemoryLimit),
            answered.Sum(s => s.Hits),
            answered.Sum(s => s.Misses),
            answered.Sum(s => s.Evictions),
            perSecond,
            lastFlush,
            lastFlush is null ? null : Math.Max(0, answered.Sum(s => s.TotalItems) - lastFlush.TotalItemsAtFlush),
            ActivityChart.Of(history, now, window));
    }
}
