using DualCache.Memcached;
using DualCache.Tests.Connections;
using DualCache.Tests.EndToEnd;
using DualCache.Tests.Integration;
using DualCache.WebApp.Caches;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace DualCache.Tests.WebApp;

/// <summary>
/// The caches page's viewers share its <c>stats</c> reads. In the gauge readers' collection: a gauge read elsewhere in
/// the process would send a <c>stats</c> of its own to these servers.
/// </summary>
[Collection(ServerGaugeReaders.Name)]
public sealed class SharedStatsReadsTests(MemcachedServerFixture memcached) : IClassFixture<MemcachedServerFixture>
{
    private readonly FakeTimeProvider _time = new();

    private SharedStatsReads Reads() => new(Options.Create(new CachesPageOptions { StatsMaxAge = TimeSpan.FromSeconds(1) }), _time);

    [Fact]
    public async Task Viewers_within_the_maximum_age_share_one_read_and_a_later_viewer_gets_a_new_one()
    {
        await using var client = memcached.CreateClient();
        using var onServer = new RoundTrips(memcached.Server.EndPoint, housekeeping: true);
        var reads = Reads();

        var first = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => reads.ReadAsync(client, CancellationToken.None)));
        _time.Advance(TimeSpan.FromMilliseconds(900));
        var stillFresh = await reads.ReadAsync(client, CancellationToken.None);

        Assert.All(first, stats => Assert.Same(first[0], stats));
        Assert.Same(first[0], stillFresh);
        Assert.Equal(["stats"], onServer.Operations);

        _time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.NotSame(first[0], await reads.ReadAsync(client, CancellationToken.None));
        Assert.Equal(["stats", "stats"], onServer.Operations);
    }

    [Fact]
    public async Task A_flushs_own_reading_is_what_the_next_viewer_sees()
    {
        await using var client = memcached.CreateClient();
        var reads = Reads();
        var beforeFlush = await reads.ReadAsync(client, CancellationToken.None);

        var afterFlush = await client.GetStatsAsync();
        reads.Remember(client, afterFlush);

        Assert.NotSame(beforeFlush, afterFlush);
        Assert.Same(afterFlush, await reads.ReadAsync(client, CancellationToken.None));
    }

    [Fact]
    public async Task A_viewer_who_leaves_does_not_cancel_the_read_the_others_wait_for()
    {
        await using var client = memcached.CreateClient();
        var reads = Reads();
        using var leaving = new CancellationTokenSource();

        // Gone before the answer: the read it started (no round trip completes synchronously) goes on for the next one.
        await leaving.CancelAsync();
        var left = reads.ReadAsync(client, leaving.Token);
        var staying = reads.ReadAsync(client, CancellationToken.None);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => left);
        Assert.NotEmpty(await staying);
    }

    [Fact]
    public async Task Twenty_viewers_of_the_caches_page_cost_the_object_cache_one_stats()
    {
        await using var app = await DualCacheApp.StartAsync(settings: new Dictionary<string, string?>
        {
            ["CachesPage:StatsMaxAge"] = "00:01:00",
        });
        using var visitor = new HttpVisitor(app.BaseAddress);
        await visitor.SignInAsync(Visitor.Customer);

        // The object cache only: the session store also answers the eviction monitor's stats, on its own schedule.
        using var cache = new RoundTrips(app.CacheServer.EndPoint, housekeeping: true);
        var views = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => visitor.GetAsync("/caches/live")));

        Assert.All(views, view => Assert.Equal(200, view.Status));
        Assert.Equal(1, cache.Operations.Count(operation => operation == "stats"));
    }
}
