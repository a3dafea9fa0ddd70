using DualCache.Memcached;
using Microsoft.Extensions.Options;

namespace DualCache.WebApp.Caches;

/// <summary>
/// The caches page's <c>stats</c> reads, shared between its viewers: each role's servers are asked at most once per
/// <see cref="CachesPageOptions.StatsMaxAge"/>, and a viewer arriving while a read is under way waits for that one.
/// Otherwise every open page's refresh is a round trip to every server of both roles, so the page's own audience
/// would load memcached. Hand-written rather than on <c>HybridCache</c>, which would copy the figures through a
/// serializer on every read, or <c>IMemoryCache</c>, which lets concurrent misses each read.
/// </summary>
public sealed class SharedStatsReads(IOptions<CachesPageOptions> options, TimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (DateTimeOffset Started, Task<IReadOnlyList<MemcachedServerStats>> Read)> _latest = [];

    public Task<IReadOnlyList<MemcachedServerStats>> ReadAsync(IMemcachedClient client, CancellationToken cancellationToken)
    {
        Task<IReadOnlyList<MemcachedServerStats>> read;
        lock (_lock)
        {
            var now = time.GetUtcNow();
            if (!_latest.TryGetValue(client.Name, out var latest)
                || (latest.Read.IsCompleted && (!latest.Read.IsCompletedSuccessfully || now - latest.Started >= options.Value.StatsMaxAge)))
            {
                // Not this viewer's token: one who closes the page must not cancel the read the others wait for. The
                // client's operation timeout bounds it.
                latest = (now, client.GetStatsAsync(CancellationToken.None));
                _latest[client.Name] = latest;
            }

            read = latest.Read;
        }

        return read.WaitAsync(cancellationToken);
    }

    /// <summary>A read made elsewhere, such as the flush's own right after it: the next view shows it, not an older one.</summary>
    public void Remember(IMemcachedClient client, IReadOnlyList<MemcachedServerStats> stats)
    {
        lock (_lock)
        {
            _latest[client.Name] = (time.GetUtcNow(), Task.FromResult(stats));
        }
    }
}
