using System.Globalization;

namespace DualCache.Memcached;

/// <summary>One server's <c>stats</c>, or the error that kept it from answering.</summary>
public sealed record MemcachedServerStats(MemcachedEndPoint EndPoint, IReadOnlyDictionary<string, string> Values, Exception? Error)
{
    public bool IsAvailable => Error is null;

    public string? Version => Values.GetValueOrDefault("version");

    public TimeSpan Uptime => TimeSpan.FromSeconds(Number("uptime"));

    public long CurrentItems => Number("curr_items");

    /// <summary>Items stored since the server started; unlike <see cref="CurrentItems"/>, a flush does not lower it.</summary>
    public long TotalItems => Number("total_items");

    /// <summary>Store commands (<c>set</c>, <c>add</c>, <c>cas</c>, <c>ms</c> ...) since the server started.</summary>
    public long Writes => Number("cmd_set");

    public long BytesUsed => Number("bytes");

    public long MemoryLimit => Number("limit_maxbytes");

    public long GetHits => Number("get_hits");

    public long GetMisses => Number("get_misses");

    public long Evictions => Number("evictions");

    public long CurrentConnections => Number("curr_connections");

    /// <summary>
    /// Reads that found their key. memcached counts a read that also slides the expiry (<c>mg</c> with <c>T</c>: every
    /// session and ticket read) as a touch hit, not a get hit, so both are added.
    /// </summary>
    public long Hits => GetHits + Number("touch_hits");

    /// <summary>Reads that did not find their key (an <c>mg</c> with <c>T</c> that misses counts as a get miss).</summary>
    public long Misses => GetMisses + Number("touch_misses");

    /// <summary>Hits over all reads since the server started; <see langword="null"/> before the first read.</summary>
    public double? HitRatio => Hits + Misses is var reads and > 0 ? (double)Hits / reads : null;

    private long Number(string name) =>
        Values.TryGetValue(name, out var text) && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : 0;
}
