using DualCache.Memcached;
using Microsoft.Extensions.Caching.Distributed;

namespace DualCache.Tests.Integration;

public sealed class DistributedCacheTests(MemcachedServerFixture memcached) : IClassFixture<MemcachedServerFixture>, IAsyncLifetime, IDisposable
{
    private MemcachedClient _client = null!;
    private readonly OperationCounter _counter = new($"sessions-{Guid.NewGuid():N}");

    public Task InitializeAsync()
    {
        _client = memcached.CreateClient(name: _counter.ClientName);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _client.DisposeAsync();

    public void Dispose() => _counter.Dispose();

    private static DistributedCacheEntryOptions Sliding(double seconds) => new() { SlidingExpiration = TimeSpan.FromSeconds(seconds) };

    [Fact]
    public async Task A_read_with_sliding_expiration_is_one_round_trip()
    {
        var cache = new MemcachedDistributedCache(_client);
        await cache.SetAsync("session:a", [1, 2, 3], Sliding(20));
        _counter.Clear();

        var value = await cache.GetAsync("session:a");

        Assert.Equal([1, 2, 3], value);
        Assert.Equal(["get_and_touch"], _counter.Operations);
    }

    [Fact]
    public async Task A_new_cache_instance_learns_the_sliding_window_from_its_first_read()
    {
        await new MemcachedDistributedCache(_client).SetAsync("session:b", [9], Sliding(20));
        var fresh = new MemcachedDistributedCache(_client);
        _counter.Clear();

        await fresh.GetAsync("session:b");
        await fresh.GetAsync("session:b");

        Assert.Equal(["get", "touch", "get_and_touch"], _counter.Operations);
    }

    [Fact]
    public async Task Reading_keeps_a_sliding_entry_alive_and_idleness_expires_it()
    {
        var cache = new MemcachedDistributedCache(_client);
        // memcached's clock moves in whole seconds: a 6 s window ends 5 to 7 s after the last read. Reads every 2 s
        // for 8 s keep it alive (longer than it could live unread); 8 s without one let it go.
        await cache.SetAsync("session:c", [7], Sliding(6));

        for (var i = 0; i < 4; i++)
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            Assert.NotNull(await cache.GetAsync("session:c"));
        }

        await Task.Delay(TimeSpan.FromSeconds(8));
        Assert.Null(await cache.GetAsync("session:c"));
    }

    [Fact]
    public async Task Refresh_slides_the_expiry_without_reading_it_for_the_caller()
    {
        var cache = new MemcachedDistributedCache(_client);
        // memcached expires a 10 s item 9 to 11 s after it is written; present at 12 s proves the refresh at 5 s moved it.
        await cache.SetAsync("session:d", [4], Sliding(10));

        await Task.Delay(TimeSpan.FromSeconds(5));
        await cache.RefreshAsync("session:d");
        await Task.Delay(TimeSpan.FromSeconds(7));

        Assert.NotNull(await cache.GetAsync("session:d"));
    }

    [Fact]
    public async Task A_refresh_is_one_touch_that_leaves_the_value_on_the_server()
    {
        var cache = new MemcachedDistributedCache(_client);
        await cache.SetAsync("session:big", new byte[100_000], Sliding(20));
        _counter.Clear();

        await cache.RefreshAsync("session:big");

        Assert.Equal(["touch"], _counter.Operations);
    }

    [Fact]
    public async Task An_absolute_expiry_wins_over_sliding_reads()
    {
        var cache = new MemcachedDistributedCache(_client);
        // Reads at 3 s and 6 s would slide an 8 s window to 14 s, past the absolute expiry at 10 s; the read at 12.5 s
        // still misses. Seconds, not fractions of one: memcached's clock ticks once a second, and a loaded machine
        // delays the reads, so each step has seconds to spare.
        await cache.SetAsync("session:e", [5], new DistributedCacheEntryOptions
        {
            SlidingExpiration = TimeSpan.FromSeconds(8),
            AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(10),
        });

        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.NotNull(await cache.GetAsync("session:e"));
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.NotNull(await cache.GetAsync("session:e"));
        await Task.Delay(TimeSpan.FromSeconds(6.5));

        Assert.Null(await cache.GetAsync("session:e"));
    }

    [Fact]
    public async Task A_sliding_read_does_not_stretch_an_entry_that_has_only_an_absolute_expiry()
    {
        var cache = new MemcachedDistributedCache(_client);
        await cache.SetAsync("sliding-hint", [1], Sliding(30));
        await cache.SetAsync("absolute-only", [2], new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(2) });

        Assert.NotNull(await cache.GetAsync("absolute-only"));
        Assert.InRange(await _client.RemainingTtlAsync("absolute-only", default) ?? -2, 0, 2);
        await Task.Delay(TimeSpan.FromSeconds(4.5));

        Assert.Null(await _client.GetAsync("absolute-only"));
    }

    [Fact]
    public async Task An_expiry_in_the_past_is_refused()
    {
        var cache = new MemcachedDistributedCache(_client);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => cache.SetAsync("past", [1], new DistributedCacheEntryOptions { AbsoluteExpiration = DateTimeOffset.UtcNow.AddSeconds(-1) }));
    }

    [Fact]
    public async Task The_buffer_api_writes_the_value_into_the_callers_buffer()
    {
        var cache = new MemcachedDistributedCache(_client);
        await cache.SetAsync("buffered", new System.Buffers.ReadOnlySequence<byte>([1, 2, 3, 4]), Sliding(20));
        var destination = new System.Buffers.ArrayBufferWriter<byte>();

        Assert.True(await cache.TryGetAsync("buffered", destination));
        Assert.Equal([1, 2, 3, 4], destination.WrittenSpan.ToArray());
        Assert.False(await cache.TryGetAsync("not-there", destination));
    }

    [Fact]
    public async Task Remove_deletes_the_entry()
    {
        var cache = new MemcachedDistributedCache(_client);
        cache.Set("removed", [1], Sliding(20));

        cache.Remove("removed");

        Assert.Null(cache.Get("removed"));
    }

    [Fact]
    public async Task A_value_written_by_another_client_reads_as_a_miss_not_as_garbage()
    {
        await _client.SetAsync("foreign", "plain text"u8.ToArray());

        Assert.Null(await new MemcachedDistributedCache(_client).GetAsync("foreign"));
    }
}
