using System.Text;
using DualCache.Memcached;

namespace DualCache.Tests.Integration;

public sealed class ClientOperationTests(MemcachedServerFixture memcached) : IClassFixture<MemcachedServerFixture>, IAsyncLifetime
{
    private MemcachedClient _client = null!;

    public Task InitializeAsync()
    {
        _client = memcached.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _client.DisposeAsync();

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public async Task A_value_that_was_set_is_read_back_with_its_flags()
    {
        await _client.SetAsync("greeting", Bytes("hello"), flags: 42);

        var item = await _client.GetItemAsync("greeting");

        Assert.NotNull(item);
        Assert.Equal("hello", Encoding.UTF8.GetString(item.Value.Value));
        Assert.Equal(42u, item.Value.Flags);
        Assert.NotEqual(0UL, item.Value.Cas);
        Assert.Equal(Bytes("hello"), await _client.GetAsync("greeting"));
    }

    [Fact]
    public async Task A_missing_key_reads_as_null() => Assert.Null(await _client.GetAsync("never-set"));

    [Fact]
    public async Task An_empty_value_is_a_hit_not_a_miss()
    {
        await _client.SetAsync("empty", Array.Empty<byte>());

        Assert.Equal(Array.Empty<byte>(), await _client.GetAsync("empty"));
    }

    [Fact]
    public async Task Add_creates_once_and_then_reports_that_the_key_already_exists()
    {
        Assert.Equal(StoreResult.Stored, await _client.AddAsync("ticket", Bytes("first")));
        Assert.Equal(StoreResult.AlreadyExists, await _client.AddAsync("ticket", Bytes("second")));

        Assert.Equal(Bytes("first"), await _client.GetAsync("ticket"));
    }

    [Fact]
    public async Task Replace_only_writes_a_key_that_exists()
    {
        Assert.Equal(StoreResult.NotFound, await _client.ReplaceAsync("replace-me", Bytes("x")));
        Assert.Null(await _client.GetAsync("replace-me"));

        await _client.SetAsync("replace-me", Bytes("old"));
        Assert.Equal(StoreResult.Stored, await _client.ReplaceAsync("replace-me", Bytes("new")));
        Assert.Equal(Bytes("new"), await _client.GetAsync("replace-me"));
    }

    [Fact]
    public async Task Compare_and_swap_writes_only_if_nobody_changed_the_item_in_between()
    {
        await _client.SetAsync("counter-doc", Bytes("v1"));
        var read = (await _client.GetItemAsync("counter-doc"))!.Value;

        await _client.SetAsync("counter-doc", Bytes("someone else"));

        Assert.Equal(StoreResult.CasMismatch, await _client.CompareAndSwapAsync("counter-doc", Bytes("v2"), read.Cas));
        var fresh = (await _client.GetItemAsync("counter-doc"))!.Value;
        Assert.Equal(StoreResult.Stored, await _client.CompareAndSwapAsync("counter-doc", Bytes("v2"), fresh.Cas));
        Assert.Equal(Bytes("v2"), await _client.GetAsync("counter-doc"));
        Assert.Equal(StoreResult.NotFound, await _client.CompareAndSwapAsync("no-such-doc", Bytes("v"), fresh.Cas));
    }

    [Fact]
    public async Task Delete_removes_a_key_and_says_whether_it_was_there()
    {
        await _client.SetAsync("doomed", Bytes("x"));

        Assert.True(await _client.DeleteAsync("doomed"));
        Assert.False(await _client.DeleteAsync("doomed"));
        Assert.Null(await _client.GetAsync("doomed"));
    }

    [Fact]
    public async Task Items_expire_after_their_ttl()
    {
        // memcached's clock ticks once a second, so an item given n seconds lives between n - 1 and n: with one second,
        // a tick between the set and the first read would expire it already.
        await _client.SetAsync("short-lived", Bytes("x"), TimeSpan.FromSeconds(2));
        Assert.NotNull(await _client.GetAsync("short-lived"));

        await Task.Delay(TimeSpan.FromSeconds(3.2));

        Assert.Null(await _client.GetAsync("short-lived"));
    }

    [Fact]
    public async Task Touch_and_get_and_touch_extend_the_expiry()
    {
        await _client.SetAsync("touched", Bytes("t"), TimeSpan.FromSeconds(2));
        await _client.SetAsync("read-and-touched", Bytes("r"), TimeSpan.FromSeconds(2));

        Assert.True(await _client.TouchAsync("touched", TimeSpan.FromSeconds(10)));
        Assert.Equal(Bytes("r"), (await _client.GetAndTouchAsync("read-and-touched", TimeSpan.FromSeconds(10)))!.Value.Value);
        await Task.Delay(TimeSpan.FromSeconds(3.2));

        Assert.NotNull(await _client.GetAsync("touched"));
        Assert.NotNull(await _client.GetAsync("read-and-touched"));
        Assert.False(await _client.TouchAsync("never-set", TimeSpan.FromSeconds(10)));
        Assert.Null(await _client.GetAndTouchAsync("never-set", TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_ttl_beyond_30_days_is_kept_not_treated_as_a_date_in_1970()
    {
        await _client.SetAsync("long-lived", Bytes("x"), TimeSpan.FromDays(45));

        Assert.NotNull(await _client.GetAsync("long-lived"));
    }

    [Theory]
    [InlineData(365 * 20)]
    [InlineData(-1)]
    public async Task An_expiry_past_2038_is_capped_there_not_stored_as_an_item_already_expired(int days)
    {
        // memcached keeps absolute times in 32 bits: sent as they are, these answer "stored" and leave nothing.
        var expiry = days < 0 ? TimeSpan.MaxValue : TimeSpan.FromDays(days);
        var key = $"for-ever-{days}";
        await _client.SetAsync(key, Bytes("old"));

        await _client.SetAsync(key, Bytes("new"), expiry);

        Assert.Equal(Bytes("new"), await _client.GetAsync(key));
        var leftUntil2038 = int.MaxValue - DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        // memcached's clock ticks in whole seconds, behind the wall clock: a date can read back a second or two long.
        Assert.InRange(await _client.RemainingTtlAsync(key, default) ?? 0, leftUntil2038 - 10, leftUntil2038 + 2);
    }

    [Fact]
    public async Task A_write_whose_token_is_already_cancelled_is_not_carried_out()
    {
        // One connection, already open: the cancelled writes below could otherwise go straight out on it.
        await using var client = memcached.CreateClient(o => o.ConnectionsPerServer = 1);
        await client.SetAsync("kept", Bytes("v"));
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await client.SetAsync("never", Bytes("v"), cancellationToken: cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await client.DeleteAsync("kept", cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await client.IncrementAsync("counter", initialValue: 1, cancellationToken: cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.FlushAllAsync(cancelled.Token));

        Assert.Null(await client.GetAsync("never"));
        Assert.Null(await client.GetAsync("counter"));
        Assert.Equal(Bytes("v"), await client.GetAsync("kept"));
    }

    [Fact]
    public async Task Counters_increment_and_decrement_and_stop_at_zero()
    {
        Assert.Null(await _client.IncrementAsync("hits"));
        Assert.Equal(10UL, await _client.IncrementAsync("hits", initialValue: 10));
        Assert.Equal(15UL, await _client.IncrementAsync("hits", 5));
        Assert.Equal(12UL, await _client.DecrementAsync("hits", 3));
        Assert.Equal(0UL, await _client.DecrementAsync("hits", 100));
    }

    [Fact]
    public async Task Incrementing_a_value_that_is_not_a_number_fails_without_breaking_the_connection()
    {
        await _client.SetAsync("not-a-number", Bytes("abc"));

        await Assert.ThrowsAsync<MemcachedException>(async () => await _client.IncrementAsync("not-a-number"));

        await _client.SetAsync("after", Bytes("ok"));
        Assert.Equal(Bytes("ok"), await _client.GetAsync("after"));
    }

    [Fact]
    public async Task Get_many_returns_the_hits_in_one_batch()
    {
        await _client.SetAsync("m1", Bytes("one"));
        await _client.SetAsync("m 2", Bytes("two"));
        await _client.SetAsync("m3", Bytes("three"), flags: 3);

        var found = await _client.GetManyAsync(["m1", "m 2", "missing", "m3", "m1"]);

        Assert.Equal(3, found.Count);
        Assert.Equal("one", Encoding.UTF8.GetString(found["m1"].Value));
        Assert.Equal("two", Encoding.UTF8.GetString(found["m 2"].Value));
        Assert.Equal(3u, found["m3"].Flags);
        Assert.Empty(await _client.GetManyAsync([]));
    }

    [Theory]
    [InlineData("with spaces in it")]
    [InlineData("line\r\nbreak")]
    [InlineData("ünïcödé ключ 鍵")]
    [InlineData("")]
    [InlineData("tab\tand\0nul")]
    public async Task Any_string_is_a_valid_key(string key)
    {
        await _client.SetAsync(key, Bytes(key + "!"));

        Assert.Equal(Bytes(key + "!"), await _client.GetAsync(key));
        Assert.True(await _client.DeleteAsync(key));
    }

    [Fact]
    public async Task Keys_over_250_bytes_are_stored_and_kept_apart()
    {
        var common = new string('k', 300);

        await _client.SetAsync(common + "a", Bytes("a"));
        await _client.SetAsync(common + "b", Bytes("b"));

        Assert.Equal(Bytes("a"), await _client.GetAsync(common + "a"));
        Assert.Equal(Bytes("b"), await _client.GetAsync(common + "b"));
    }

    [Fact]
    public async Task A_key_that_looks_like_the_encoding_of_another_does_not_meet_it()
    {
        await _client.SetAsync("a b", Bytes("spaced"));
        await _client.SetAsync(Convert.ToBase64String(Encoding.UTF8.GetBytes("a b")), Bytes("lookalike"));

        Assert.Equal(Bytes("spaced"), await _client.GetAsync("a b"));
    }

    [Fact]
    public async Task A_value_at_the_item_size_limit_is_stored_and_one_byte_more_is_refused_keeping_the_old_value()
    {
        // memcached -I 1m counts a 59-byte item header, the key and the value against 1 MiB (measured on memcached 1.6).
        const int ItemSizeMax = 1024 * 1024;
        const int Overhead = 59;
        await using var client = memcached.CreateClient(o => o.KeyPrefix = "");
        await client.SetAsync("limit-old", Bytes("old value"));
        var atLimit = ItemSizeMax - Overhead - "limit-at".Length;
        var oldKeyLimit = ItemSizeMax - Overhead - "limit-old".Length;

        await client.SetAsync("limit-at", new byte[atLimit]);
        var tooLarge = await Assert.ThrowsAsync<MemcachedValueTooLargeException>(async () => await client.SetAsync("limit-old", new byte[oldKeyLimit + 1]));

        Assert.Equal(("limit-old", oldKeyLimit + 1L, (long)oldKeyLimit), (tooLarge.Key, tooLarge.Size, tooLarge.Limit));
        Assert.Contains($"'limit-old' is {oldKeyLimit + 1} bytes", tooLarge.Message, StringComparison.Ordinal);
        Assert.Contains($"at most {oldKeyLimit} bytes", tooLarge.Message, StringComparison.Ordinal);
        Assert.Equal(Bytes("old value"), await client.GetAsync("limit-old"));
        Assert.Equal(atLimit, (await client.GetAsync("limit-at"))!.Length);
    }

    [Fact]
    public async Task The_item_size_limit_leaves_room_for_client_flags_too()
    {
        // Non-zero client flags (every JSON value, every distributed-cache entry) cost the item 4 more bytes.
        const int ItemSizeMax = 1024 * 1024;
        await using var client = memcached.CreateClient(o => o.KeyPrefix = "");
        await client.SetAsync("flagged", Bytes("old value"), flags: 7);
        var limit = ItemSizeMax - 59 - "flagged".Length - 4;

        await client.SetAsync("flagged-at", new byte[limit - 3], flags: 7);
        var tooLarge = await Assert.ThrowsAsync<MemcachedValueTooLargeException>(async () => await client.SetAsync("flagged", new byte[limit + 1], flags: 7));

        Assert.Equal(limit, tooLarge.Limit);
        Assert.Equal(Bytes("old value"), await client.GetAsync("flagged"));
        Assert.Equal(limit - 3, (await client.GetAsync("flagged-at"))!.Length);
    }

    [Fact]
    public async Task A_large_value_round_trips_across_many_packets()
    {
        var value = new byte[900_000];
        Random.Shared.NextBytes(value);

        await _client.SetAsync("large", value);

        Assert.Equal(value, await _client.GetAsync("large"));
    }

    [Fact]
    public async Task Flush_all_empties_the_server()
    {
        await using var other = memcached.CreateClient();
        await other.SetAsync("flushed", Bytes("x"));

        await other.FlushAllAsync();

        Assert.Null(await other.GetAsync("flushed"));
    }

    [Fact]
    public async Task Stats_and_version_describe_every_server()
    {
        var stats = Assert.Single(await _client.GetStatsAsync());
        var version = Assert.Single(await _client.GetVersionsAsync());

        Assert.True(stats.IsAvailable);
        Assert.StartsWith("1.", stats.Version, StringComparison.Ordinal);
        Assert.Equal(64L * 1024 * 1024, stats.MemoryLimit);
        Assert.True(stats.CurrentConnections >= 1);
        Assert.Equal(stats.Version, version.Version);
        Assert.Equal(memcached.Server.EndPoint, version.EndPoint);
    }

    [Fact]
    public async Task A_read_that_slides_the_expiry_shows_in_the_servers_hit_count()
    {
        await using var client = memcached.CreateClient();
        await client.SetAsync("slid", "x"u8.ToArray());
        var before = Assert.Single(await client.GetStatsAsync()).Hits;

        await client.GetAndTouchAsync("slid", TimeSpan.FromMinutes(1));

        Assert.Equal(before + 1, Assert.Single(await client.GetStatsAsync()).Hits);
    }

    [Fact]
    public async Task A_disposed_client_refuses_work_instead_of_reconnecting()
    {
        var client = memcached.CreateClient();
        await client.SetAsync("k", "v"u8.ToArray());

        await client.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await client.GetAsync("k"));
    }

    [Fact]
    public async Task A_cancelled_read_leaves_the_connection_usable()
    {
        await _client.SetAsync("after-cancel", Bytes("still fine"));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await _client.GetAsync("after-cancel", cancelled.Token));

        Assert.Equal(Bytes("still fine"), await _client.GetAsync("after-cancel"));
    }
}
