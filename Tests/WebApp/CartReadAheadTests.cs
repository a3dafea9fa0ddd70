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
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace DualCache.Tests.WebApp;

/// <summary>
/// A page's cart is read together with its ticket (both sent before either answer is awaited), once, and only
/// for the sign-in the ticket proves; anything but a page does not read the cart at all.
/// </summary>
public sealed class CartReadAheadTests(MemcachedServerFixture memcached) : IClassFixture<MemcachedServerFixture>, IAsyncLifetime
{
    private readonly MemcachedClient _client = memcached.CreateClient(name: "sessions");
    private readonly IDataProtectionProvider _keys = new EphemeralDataProtectionProvider();
    private ServiceProvider _services = null!;

    [Fact]
    public async Task A_page_reads_the_cart_along_with_the_ticket_and_only_once()
    {
        var key = await SignInWithCartAsync();
        using var roundTrips = new RoundTrips(memcached.Server.EndPoint);
        using var scope = _services.CreateScope();
        var page = Request(scope, HttpMethods.Get, page: true);

        var ticket = await Tickets.RetrieveAsync(key, page, CancellationToken.None);
        await WaitForAsync(() => roundTrips.Operations.Count >= 2);
        Assert.Equal(2, roundTrips.Operations.Count);
        var cart = await scope.ServiceProvider.GetRequiredService<VisitorCart>().ReadAsync(ticket!.Principal, CancellationToken.None);

        Assert.Equal(["Tea"], cart!.Lines.Select(line => line.Name));
        Assert.Equal(["get_and_touch", "get_and_touch"], roundTrips.Operations);
    }

    [Fact]
    public async Task A_form_post_reads_only_the_ticket()
    {
        var key = await SignInWithCartAsync();
        using var roundTrips = new RoundTrips(memcached.Server.EndPoint);
        using var scope = _services.CreateScope();

        Assert.NotNull(await Tickets.RetrieveAsync(key, Request(scope, HttpMethods.Post, page: true), CancellationToken.None));
        Assert.NotNull(await Tickets.RetrieveAsync(key, Request(scope, HttpMethods.Get, page: false), CancellationToken.None));
        await Task.Delay(200);

        Assert.Equal(["get_and_touch", "get_and_touch"], roundTrips.Operations);
    }

    [Fact]
    public async Task A_cart_read_ahead_for_another_sign_in_is_not_shown()
    {
        var ada = await SignInWithCartAsync();
        var uma = await Tickets.StoreAsync(Ticket("Uma"));
        using var scope = _services.CreateScope();
        var cart = scope.ServiceProvider.GetRequiredService<VisitorCart>();

        cart.ReadAhead(ada, CancellationToken.None);
        var umaTicket = await Tickets.RetrieveAsync(uma);

        Assert.Empty((await cart.ReadAsync(umaTicket!.Principal, CancellationToken.None))!.Lines);
    }

    public Task InitializeAsync()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IDataProtectionProvider>(_keys);
        services.AddSingleton(Options.Create(new SignInLimitOptions()));
        services.AddKeyedSingleton<IMemcachedClient>("sessions", _client);
        services.AddSingleton(new MemcachedTicketStore(_client, _keys, Options.Create(new SignInLimitOptions()), TimeProvider.System, NullLogger<MemcachedTicketStore>.Instance));
        services.AddCart();
        _services = services.BuildServiceProvider();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _client.DisposeAsync();
    }

    private MemcachedTicketStore Tickets => _services.GetRequiredService<MemcachedTicketStore>();

    private async Task<string> SignInWithCartAsync()
    {
        var key = await Tickets.StoreAsync(Ticket("Ada"));
        await _services.GetRequiredService<CartStore>().UpdateAsync(key, cart => cart.Add(new Product(1, "Tea", "", "Kitchen", 4m)), CancellationToken.None);
        return key;
    }

    private static DefaultHttpContext Request(IServiceScope scope, string method, bool page)
    {
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Method = method;
        context.SetEndpoint(new Endpoint(null, page ? new EndpointMetadataCollection(new ControllerActionDescriptor()) : EndpointMetadataCollection.Empty, "test"));
        return context;
    }

    private static AuthenticationTicket Ticket(string name) => new(
        new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, name)], CookieAuthenticationDefaults.AuthenticationScheme)),
        new AuthenticationProperties { IssuedUtc = DateTimeOffset.UtcNow },
        CookieAuthenticationDefaults.AuthenticationScheme);

    /// <summary>Waits until <paramref name="condition"/> holds, 20 s at most; the assertions after it say what was missing.</summary>
    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 1000 && !condition(); i++)
        {
            await Task.Delay(20);
        }
    }
}
