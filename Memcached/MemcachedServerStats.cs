using System.Globalization;

namespace DualCache.Memcached;

/// <summary>One server's <c>stats</c>, or the error that kept it from answering.</summary>
public sealed record MemcachedServerStats(MemcachedEndPoint EndPoint, IReadOnlyDictionary<string, string> Values, Exception? Error)
{
    public bool IsAvailable => Error is null;

    public string? Version => Values.GetValueOrDefault("version");

    public TimeSpan Uptime => TimeSpan.FromSeconds(Number("uptime"));

    public long CurrentItems => Number("curr_items");

    public long BytesUsed => Number("bytes");

    public long MemoryLimit => Number("limit_maxbytes");

    public long GetHits => Number("get_hits");

    public long GetMisses => Number("get_misses");

    public long Evictions => Number("evictions");

    public long CurrentConnections => Number("curr_connections");

    /// <summary>Hits over all reads since the server started; <see langword="null"/> before the first read.</summary>
    public double? HitRatio => GetHits + GetMisses is var reads and > 0 ? (double)GetHits / reads : null;

    private long Number(string name) =>
        Values.TryGetValue(name, out var text) && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : 0;
}
