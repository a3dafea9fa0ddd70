using System.Text;
using DualCache.Memcached;
using DualCache.Tests.Integration;
using DualCache.WebApp.Sessions;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Logging.Abstractions;

namespace DualCache.Tests.WebApp;

/// <summary>The ASP.NET Core session as the app stores it: protected, on a real memcached.</summary>
public sealed class SessionStoreTests(MemcachedServerFixture memcached) : IClassFixture<MemcachedServerFixture>, IAsyncLifetime
{
    private static readonly TimeSpan s_idleTimeout = TimeSpan.FromMinutes(20);

    private readonly MemcachedClient _client = memcached.CreateClient(name: "sessions");
    private readonly IDataProtectionProvider _keys = new EphemeralDataProtectionProvider();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _client.DisposeAsync();

    [Fact]
    public async Task A_cart_on_the_session_server_cannot_be_read()
    {
        var cache = ProtectedCache();

        await cache.SetAsync("session-1", "Burr grinder"u8.ToArray(), new DistributedCacheEntryOptions { SlidingExpiration = s_idleTimeout });

        var raw = Encoding.Latin1.GetString(await _client.GetAsync("session-1") ?? []);
        Assert.NotEmpty(raw);
        Assert.DoesNotContain("Burr grinder", raw, StringComparison.Ordinal);
        Assert.Equal("Burr grinder"u8.ToArray(), await cache.GetAsync("session-1"));
    }

    [Fact]
    public async Task A_tampered_session_reads_as_an_empty_one()
    {
        var cache = ProtectedCache();
        await cache.SetAsync("session-2", "Burr grinder"u8.ToArray(), new DistributedCacheEntryOptions { SlidingExpiration = s_idleTimeout });
        var item = await _client.GetItemAsync("session-2") ?? throw new InvalidOperationException("The session was not stored.");
        item.Value[^3] ^= 0x01;
        await _client.SetAsync("session-2", item.Value, s_idleTimeout, item.Flags);

        Assert.Null(await cache.GetAsync("session-2"));
    }

    [Fact]
    public async Task A_session_copied_under_another_session_key_reads_as_an_empty_one()
    {
        var cache = ProtectedCache();
        var options = new DistributedCacheEntryOptions { SlidingExpiration = s_idleTimeout };
        await cache.SetAsync("session-5", "Burr grinder"u8.ToArray(), options);
        await cache.SetAsync("session-6", "Notebook"u8.ToArray(), options);
        var item = await _client.GetItemAsync("session-5") ?? throw new InvalidOperationException("The session was not stored.");

        await _client.SetAsync("session-6", item.Value, s_idleTimeout, item.Flags);

        Assert.Null(await cache.GetAsync("session-6"));
        Assert.Equal("Burr grinder"u8.ToArray(), await cache.GetAsync("session-5"));
    }

    [Fact]
    public async Task A_request_that_reads_the_session_without_changing_it_costs_one_round_trip()
    {
        var store = new MemcachedSessionStore(ProtectedCache(), NullLoggerFactory.Instance);
        var written = store.Create("session-3", s_idleTimeout, TimeSpan.FromSeconds(5), () => true, isNewSessionKey: true);
        await written.LoadAsync();
        written.SetString("cart", "Burr grinder");
        await written.CommitAsync();
        using var roundTrips = new RoundTrips(_client.Servers[0]);

        var read = store.Create("session-3", s_idleTimeout, TimeSpan.FromSeconds(5), () => true, isNewSessionKey: false);
        await read.LoadAsync();
        var cart = read.GetString("cart");
        await read.CommitAsync();

        Assert.Equal("Burr grinder", cart);
        Assert.Equal(["get_and_touch"], roundTrips.Operations);
    }

    [Fact]
    public async Task A_changed_session_is_written_back()
    {
        var store = new MemcachedSessionStore(ProtectedCache(), NullLoggerFactory.Instance);
        var session = store.Create("session-4", s_idleTimeout, TimeSpan.FromSeconds(5), () => true, isNewSessionKey: true);
        await session.LoadAsync();
        session.SetString("cart", "Notebook");
        await session.CommitAsync();

        var next = store.Create("session-4", s_idleTimeout, TimeSpan.FromSeconds(5), () => true, isNewSessionKey: false);
        await next.LoadAsync();

        Assert.Equal("Notebook", next.GetString("cart"));
    }

    private ProtectedDistributedCache ProtectedCache() =>
        new(new MemcachedDistributedCache(_client), _keys, NullLogger<ProtectedDistributedCache>.Instance);
}
