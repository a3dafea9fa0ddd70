using System.Security.Claims;
using DualCache.Memcached;
using DualCache.Tests.Integration;
using DualCache.WebApp.Accounts;
using DualCache.WebApp.Cart;
using DualCache.WebApp.Catalog;
using DualCache.WebApp.Sessions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace DualCache.Tests.WebApp;

/// <summary>
/// A signed-in visitor's unchanged ticket, cart and cookie are decrypted once, not at every page view; and what is
/// remembered never lets through a payload that would be refused without it.
/// </summary>
public sealed class RememberedUnprotectTests(MemcachedServerFixture memcached) : IClassFixture<MemcachedServerFixture>, IAsyncLifetime
{
    private readonly MemcachedClient _client = memcached.CreateClient(name: "sessions");
    private readonly CountingDataProtection _keys = new(new EphemeralDataProtectionProvider());

    [Fact]
    public async Task An_unchanged_ticket_is_decrypted_once_over_many_page_views()
    {
        using var store = TicketStore();
        var key = await store.StoreAsync(Ticket("Ada"));

        for (var view = 0; view < 5; view++)
        {
            Assert.Equal("Ada", (await store.RetrieveAsync(key))?.Principal.Identity?.Name);
        }

        Assert.Equal(1, _keys.Unprotects);
    }

    [Fact]
    public async Task Every_page_view_gets_a_principal_of_its_own()
    {
        using var store = TicketStore();
        var key = await store.StoreAsync(Ticket("Ada"));
        var first = await store.RetrieveAsync(key);
        ((ClaimsIdentity)first!.Principal.Identity!).AddClaim(new Claim(ClaimTypes.Role, AccountRoles.Admin));

        var second = await store.RetrieveAsync(key);

        Assert.False(second!.Principal.IsInRole(AccountRoles.Admin));
        Assert.Equal(key, SignInKey.Of(second.Principal));
    }

    [Fact]
    public async Task A_ticket_tampered_with_after_it_was_read_is_refused()
    {
        using var store = TicketStore();
        var key = await store.StoreAsync(Ticket("Ada"));
        Assert.NotNull(await store.RetrieveAsync(key));
        var payload = await _client.GetAsync(key) ?? [];
        payload[^5] ^= 0x01;
        await _client.SetAsync(key, payload);

        Assert.Null(await store.RetrieveAsync(key));
    }

    [Fact]
    public async Task A_ticket_copied_over_one_already_read_is_refused()
    {
        using var store = TicketStore();
        var admin = await store.StoreAsync(Ticket("Ada", AccountRoles.Admin));
        var mallory = await store.StoreAsync(Ticket("Mallory"));
        Assert.NotNull(await store.RetrieveAsync(admin));
        Assert.NotNull(await store.RetrieveAsync(mallory));

        await _client.SetAsync(mallory, await _client.GetAsync(admin) ?? []);

        Assert.Null(await store.RetrieveAsync(mallory));
    }

    [Fact]
    public async Task A_signed_out_ticket_stays_signed_out()
    {
        using var store = TicketStore();
        var key = await store.StoreAsync(Ticket("Ada"));
        var payload = await _client.GetAsync(key) ?? [];
        Assert.NotNull(await store.RetrieveAsync(key));

        await store.RemoveAsync(key);
        Assert.Null(await store.RetrieveAsync(key));

        // The very same bytes put back by whoever reaches the server are a fresh ticket to check, not a remembered one.
        await _client.SetAsync(key, payload);
        Assert.NotNull(await store.RetrieveAsync(key));
        Assert.Equal(2, _keys.Unprotects);
    }

    [Fact]
    public async Task An_unchanged_cart_is_decrypted_once_and_a_changed_one_is_read_as_changed()
    {
        using var store = CartStore();
        await store.UpdateAsync("ticket:ada", cart => cart.Add(Product(1)), CancellationToken.None);
        var unprotectsOfTheUpdate = _keys.Unprotects;

        for (var view = 0; view < 5; view++)
        {
            Assert.Equal([1], (await store.ReadAsync("ticket:ada", CancellationToken.None)).Lines.Select(line => line.ProductId));
        }

        Assert.Equal(unprotectsOfTheUpdate, _keys.Unprotects);

        // Another instance of the app (the same keys) changes the cart: the next read shows the change.
        using var other = CartStore();
        await other.UpdateAsync("ticket:ada", cart => cart.Add(Product(2)), CancellationToken.None);
        Assert.Equal([1, 2], (await store.ReadAsync("ticket:ada", CancellationToken.None)).Lines.Select(line => line.ProductId).Order());
    }

    [Fact]
    public async Task A_cart_tampered_with_after_it_was_read_reads_as_empty()
    {
        using var store = CartStore();
        await store.UpdateAsync("ticket:eve", cart => cart.Add(Product(1)), CancellationToken.None);
        Assert.NotEmpty((await store.ReadAsync("ticket:eve", CancellationToken.None)).Lines);
        var item = await _client.GetItemAsync("cart:ticket:eve") ?? throw new InvalidOperationException("The cart was not stored.");
        item.Value[^3] ^= 0x01;
        await _client.SetAsync("cart:ticket:eve", item.Value, TimeSpan.FromMinutes(5), item.Flags);

        Assert.Empty((await store.ReadAsync("ticket:eve", CancellationToken.None)).Lines);
    }

    [Fact]
    public void The_same_auth_cookie_is_decrypted_once_and_another_one_is_checked()
    {
        using var remembered = new RememberedCookieTickets();
        var options = new CookieAuthenticationOptions { TicketDataFormat = new TicketDataFormat(_keys.CreateProtector("cookie")) };
        var original = options.TicketDataFormat;
        remembered.PostConfigure(CookieAuthenticationDefaults.AuthenticationScheme, options);
        var cookie = original.Protect(Ticket("Ada"));

        Assert.Equal("Ada", options.TicketDataFormat.Unprotect(cookie)?.Principal.Identity?.Name);
        Assert.Equal("Ada", options.TicketDataFormat.Unprotect(cookie)?.Principal.Identity?.Name);
        Assert.Equal(1, _keys.Unprotects);

        var tampered = cookie[..^3] + (cookie[^3] == 'A' ? 'B' : 'A') + cookie[^2..];
        Assert.Null(options.TicketDataFormat.Unprotect(tampered));
        Assert.Equal(2, _keys.Unprotects);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _client.DisposeAsync();

    private MemcachedTicketStore TicketStore() =>
        new(_client, _keys, Options.Create(new SignInLimitOptions()), TimeProvider.System, NullLogger<MemcachedTicketStore>.Instance);

    private CartStore CartStore() =>
        new(_client, _keys, Options.Create(new SignInLimitOptions()), NullLogger<CartStore>.Instance);

    private static Product Product(int id) => new(id, $"Product {id}", "", "Kitchen", 10m);

    private static AuthenticationTicket Ticket(string name, string role = AccountRoles.Customer)
    {
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, role)], CookieAuthenticationDefaults.AuthenticationScheme);
        return new AuthenticationTicket(
            new ClaimsPrincipal(identity),
            new AuthenticationProperties { IssuedUtc = DateTimeOffset.UtcNow },
            CookieAuthenticationDefaults.AuthenticationScheme);
    }
}
