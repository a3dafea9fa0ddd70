using System.Security.Claims;
using DualCache.Memcached;
using DualCache.Memcached.Servers;
using DualCache.Tests.Integration;
using DualCache.WebApp.Accounts;
using DualCache.WebApp.Sessions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace DualCache.Tests.WebApp;

/// <summary>The sign-in ticket store against a real memcached.</summary>
public sealed class MemcachedTicketStoreTests(MemcachedServerFixture memcached) : IClassFixture<MemcachedServerFixture>, IAsyncLifetime
{
    private static readonly DateTimeOffset s_now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly MemcachedClient _client = memcached.CreateClient(name: "sessions");
    private readonly IDataProtectionProvider _keys = new EphemeralDataProtectionProvider();
    private readonly FakeTimeProvider _clock = new(s_now);

    [Fact]
    public async Task Every_sign_in_gets_a_new_random_key()
    {
        var store = Store();

        var first = await store.StoreAsync(Ticket("Ada"));
        var second = await store.StoreAsync(Ticket("Ada"));

        Assert.NotEqual(first, second);
        Assert.All([first, second], key => Assert.Matches("^ticket:[A-Za-z0-9_-]{43}$", key));
        Assert.Equal("Ada", (await store.RetrieveAsync(first))?.Principal.Identity?.Name);
        Assert.Equal("Ada", (await store.RetrieveAsync(second))?.Principal.Identity?.Name);
    }

    [Fact]
    public async Task A_new_ticket_never_overwrites_another_one_on_the_same_key()
    {
        var keys = new Queue<string>(["ticket:taken", "ticket:taken", "ticket:free"]);
        var store = Store(keys.Dequeue);

        var ada = await store.StoreAsync(Ticket("Ada"));
        var uma = await store.StoreAsync(Ticket("Uma"));

        Assert.Equal(("ticket:taken", "ticket:free"), (ada, uma));
        Assert.Equal("Ada", (await store.RetrieveAsync("ticket:taken"))?.Principal.Identity?.Name);
        Assert.Equal("Uma", (await store.RetrieveAsync("ticket:free"))?.Principal.Identity?.Name);
    }

    [Fact]
    public async Task Signing_out_removes_the_ticket_from_the_server()
    {
        var store = Store();
        var key = await store.StoreAsync(Ticket("Ada"));

        await store.RemoveAsync(key);

        Assert.Null(await store.RetrieveAsync(key));
        Assert.Null(await _client.GetAsync(key));
    }

    [Fact]
    public async Task Renewing_a_ticket_keeps_it_readable_under_its_key()
    {
        var store = Store();
        var key = await store.StoreAsync(Ticket("Ada"));

        await store.RenewAsync(key, Ticket("Ada", AccountRoles.Admin));

        Assert.True((await store.RetrieveAsync(key))?.Principal.IsInRole(AccountRoles.Admin));
    }

    [Fact]
    public async Task A_ticket_removed_before_its_renewal_stays_removed()
    {
        var store = Store();
        var key = await store.StoreAsync(Ticket("Ada"));
        await store.RemoveAsync(key);

        await store.RenewAsync(key, Ticket("Ada"));

        Assert.Null(await store.RetrieveAsync(key));
        Assert.Null(await _client.GetAsync(key));
    }

    [Fact]
    public async Task A_ticket_copied_under_another_ticket_key_is_refused()
    {
        var store = Store();
        var admin = await store.StoreAsync(Ticket("Ada", AccountRoles.Admin));
        var mallory = await store.StoreAsync(Ticket("Mallory"));

        await _client.SetAsync(mallory, await _client.GetAsync(admin) ?? []);

        Assert.Null(await store.RetrieveAsync(mallory));
        Assert.Equal("Ada", (await store.RetrieveAsync(admin))?.Principal.Identity?.Name);
    }

    [Fact]
    public async Task A_ticket_on_the_server_cannot_be_read()
    {
        var key = await Store().StoreAsync(Ticket("Ada"));

        var raw = System.Text.Encoding.Latin1.GetString(await _client.GetAsync(key) ?? []);

        Assert.NotEmpty(raw);
        Assert.DoesNotContain("Ada", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("dualcache.test", raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tampered_ticket_is_refused()
    {
        var store = Store();
        var key = await store.StoreAsync(Ticket("Ada"));
        var payload = await _client.GetAsync(key) ?? [];
        payload[^5] ^= 0x01;
        await _client.SetAsync(key, payload);

        Assert.Null(await store.RetrieveAsync(key));
    }

    [Fact]
    public async Task A_ticket_forged_without_the_apps_keys_is_refused()
    {
        var forger = Store(dataProtection: new EphemeralDataProtectionProvider());
        var key = await forger.StoreAsync(Ticket("Mallory", AccountRoles.Admin));

        Assert.Null(await Store().RetrieveAsync(key));
    }

    [Fact]
    public async Task A_ticket_past_its_absolute_lifetime_is_refused_and_removed()
    {
        var store = Store(options: new SignInLimitOptions { IdleTimeout = TimeSpan.FromMinutes(20), AbsoluteLifetime = TimeSpan.FromHours(1) });
        var key = await store.StoreAsync(Ticket("Ada"));
        _clock.Advance(TimeSpan.FromMinutes(59));
        Assert.NotNull(await store.RetrieveAsync(key));

        _clock.Advance(TimeSpan.FromMinutes(2));

        Assert.Null(await store.RetrieveAsync(key));
        Assert.Null(await _client.GetAsync(key));
    }

    [Fact]
    public async Task An_idle_ticket_expires_on_the_server()
    {
        var store = Store(options: new SignInLimitOptions { IdleTimeout = TimeSpan.FromSeconds(2) }, clock: TimeProvider.System);
        var key = await store.StoreAsync(Ticket("Ada", issued: DateTimeOffset.UtcNow));
        Assert.NotNull(await store.RetrieveAsync(key));

        // Two seconds, not one: memcached's clock ticks once a second and a one-second item may be gone at the first read.
        await Task.Delay(TimeSpan.FromSeconds(3.5));

        Assert.Null(await store.RetrieveAsync(key));
    }

    [Fact]
    public async Task A_session_server_that_cannot_be_reached_is_reported_as_such()
    {
        await using var gone = await LocalMemcached.StartAsync();
        await using var client = new MemcachedClient("sessions", new MemcachedClientOptions { Servers = gone.ConnectionString });
        gone.Kill();
        var store = Store(client: client);

        await Assert.ThrowsAsync<SessionStoreUnavailableException>(() => store.StoreAsync(Ticket("Ada")));
        await Assert.ThrowsAsync<SessionStoreUnavailableException>(() => store.RetrieveAsync("ticket:any"));
    }

    [Fact]
    public async Task A_sign_in_whose_key_lands_on_a_dead_server_gets_a_key_on_another_one()
    {
        await using var alive = await LocalMemcached.StartAsync();
        await using var dead = await LocalMemcached.StartAsync();
        var servers = new[] { alive, dead };
        await using var client = new MemcachedClient("sessions", new MemcachedClientOptions { Servers = string.Join(',', servers.Select(s => s.ConnectionString)) });
        var ring = new KetamaRing([.. servers.Select(s => s.EndPoint)]);
        var keys = Enumerable.Range(0, 100).Select(i => $"ticket:{i}").ToList();
        var onDead = keys.First(key => ring.GetServerIndex(KetamaRing.Hash(System.Text.Encoding.ASCII.GetBytes(key))) == 1);
        var onAlive = keys.First(key => ring.GetServerIndex(KetamaRing.Hash(System.Text.Encoding.ASCII.GetBytes(key))) == 0);
        var next = new Queue<string>([onDead, onAlive]);
        dead.Kill();

        var key = await Store(next.Dequeue, client: client).StoreAsync(Ticket("Ada"));

        Assert.Equal(onAlive, key);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _client.DisposeAsync();

    private MemcachedTicketStore Store(
        Func<string>? newKey = null,
        IDataProtectionProvider? dataProtection = null,
        SignInLimitOptions? options = null,
        TimeProvider? clock = null,
        IMemcachedClient? client = null) =>
        new(
            client ?? _client,
            dataProtection ?? _keys,
            Options.Create(options ?? new SignInLimitOptions()),
            clock ?? _clock,
            NullLogger<MemcachedTicketStore>.Instance,
            newKey ?? MemcachedTicketStore.NewKey);

    private AuthenticationTicket Ticket(string name, string role = AccountRoles.Customer, DateTimeOffset? issued = null)
    {
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Email, $"{name.ToLowerInvariant()}@dualcache.test"), new Claim(ClaimTypes.Role, role)],
            "Cookies");
        var issuedUtc = issued ?? _clock.GetUtcNow();
        return new AuthenticationTicket(
            new ClaimsPrincipal(identity),
            new AuthenticationProperties { IssuedUtc = issuedUtc, ExpiresUtc = issuedUtc.AddHours(8) },
            "Cookies");
    }
}
