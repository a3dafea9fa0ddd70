using System.Security.Claims;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using DualCache.Memcached;
using DualCache.WebApp;
using DualCache.WebApp.Accounts;
using DualCache.WebApp.Cart;
using DualCache.WebApp.Catalog;
using DualCache.WebApp.Sessions;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace DualCache.Benchmarks;

/// <summary>
/// The parts a signed-in page view adds to an anonymous one, each on its own, with the web app's own classes against
/// a local memcached: the cookie's unprotect, the ticket's and the cart's reads (round trip, unprotect,
/// deserialization), and the antiforgery tokens of the layout's sign-out form. "first read" is what every page view
/// paid before payloads were remembered (and what the first view of a sign-in still pays); "remembered" is what a
/// later view pays now.
/// </summary>
[MemoryDiagnoser]
public class SignedInPageBenchmarks
{
    private LocalMemcached _server = null!;
    private MemcachedClient _client = null!;
    private ServiceProvider _services = null!;
    private MemcachedTicketStore _tickets = null!;
    private CartStore _carts = null!;
    private TicketDataFormat _cookieFormat = null!;
    private IAntiforgery _antiforgery = null!;
    private string _cookie = null!;
    private string _ticketKey = null!;
    private string _antiforgeryCookie = null!;
    private ISecureDataFormat<AuthenticationTicket> _rememberingCookieFormat = null!;
    private IDataProtector _ticketProtector = null!;
    private IDataProtector _cartProtector = null!;
    private byte[] _ticketPayload = null!;
    private byte[] _cartPayload = null!;
    private RememberedCookieTickets _rememberedCookies = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _server = await LocalMemcached.StartAsync();
        _client = new MemcachedClient("sessions", new MemcachedClientOptions { Servers = _server.ConnectionString });
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDataProtection().UseEphemeralDataProtectionProvider();
        services.AddAntiforgery();
        _services = services.BuildServiceProvider();
        var dataProtection = _services.GetRequiredService<IDataProtectionProvider>();
        var signIn = Options.Create(new SignInLimitOptions());

        _tickets = new MemcachedTicketStore(_client, dataProtection, signIn, TimeProvider.System, NullLogger<MemcachedTicketStore>.Instance);
        _carts = new CartStore(_client, dataProtection, signIn, NullLogger<CartStore>.Instance);
        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, "2"),
                new Claim(ClaimTypes.Name, "Uma User"),
                new Claim(ClaimTypes.Email, "user@dualcache.test"),
                new Claim(ClaimTypes.Role, AccountRoles.Customer),
            ],
            CookieAuthenticationDefaults.AuthenticationScheme);
        var properties = new AuthenticationProperties { IssuedUtc = DateTimeOffset.UtcNow, ExpiresUtc = DateTimeOffset.UtcNow.AddHours(8) };
        _ticketKey = await _tickets.StoreAsync(new AuthenticationTicket(new ClaimsPrincipal(identity), properties, CookieAuthenticationDefaults.AuthenticationScheme));
        await _carts.UpdateAsync(_ticketKey, cart => cart.Add(new Product(1, "Tea", "A pot of tea", "Drinks", 4.5m)).Add(new Product(2, "Cake", "A slice of cake", "Food", 3.2m)), CancellationToken.None);

        // What the cookie carries with a ticket store: only the key, as the session-id claim the cookie handler reads.
        _cookieFormat = new TicketDataFormat(dataProtection.CreateProtector(
            "Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationMiddleware", CookieAuthenticationDefaults.AuthenticationScheme, "v2"));
        var keyOnly = new ClaimsIdentity([new Claim("Microsoft.AspNetCore.Authentication.Cookies-SessionId", _ticketKey)], CookieAuthenticationDefaults.AuthenticationScheme);
        _cookie = _cookieFormat.Protect(new AuthenticationTicket(new ClaimsPrincipal(keyOnly), properties, CookieAuthenticationDefaults.AuthenticationScheme));

        var options = new CookieAuthenticationOptions { TicketDataFormat = _cookieFormat };
        _rememberedCookies = new RememberedCookieTickets();
        _rememberedCookies.PostConfigure(CookieAuthenticationDefaults.AuthenticationScheme, options);
        _rememberingCookieFormat = options.TicketDataFormat;

        // The stores' own purposes, with the key as the last one.
        _ticketProtector = dataProtection.CreateProtector("DualCache.WebApp.Sessions.MemcachedTicketStore.v2").CreateProtector(_ticketKey);
        _cartProtector = dataProtection.CreateProtector("DualCache.WebApp.Cart.CartStore.v1").CreateProtector("cart:" + _ticketKey);
        _ticketPayload = await _client.GetAsync(_ticketKey) ?? throw new InvalidOperationException("No ticket.");
        _cartPayload = await _client.GetAsync("cart:" + _ticketKey) ?? throw new InvalidOperationException("No cart.");

        _antiforgery = _services.GetRequiredService<IAntiforgery>();
        var first = NewContext(null);
        _antiforgery.GetAndStoreTokens(first);
        _antiforgeryCookie = first.Response.Headers.SetCookie.ToString().Split(';')[0];
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _rememberedCookies.Dispose();
        _tickets.Dispose();
        _carts.Dispose();
        await _client.DisposeAsync();
        await _services.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Benchmark(Description = "auth cookie, first read: unprotect + deserialize")]
    public AuthenticationTicket? CookieFirstRead() => _cookieFormat.Unprotect(_cookie);

    [Benchmark(Description = "auth cookie, remembered")]
    public AuthenticationTicket? CookieRemembered() => _rememberingCookieFormat.Unprotect(_cookie);

    [Benchmark(Description = "ticket payload, first read: unprotect + deserialize")]
    public AuthenticationTicket? TicketFirstRead() => TicketSerializer.Default.Deserialize(_ticketProtector.Unprotect(_ticketPayload));

    [Benchmark(Description = "cart payload, first read: unprotect + deserialize")]
    public ShoppingCart? CartFirstRead() => JsonSerializer.Deserialize(_cartProtector.Unprotect(_cartPayload), WebAppJsonContext.Default.ShoppingCart);

    [Benchmark(Description = "mg with touch alone (the client's share of a read)")]
    public ValueTask<MemcachedItem?> GetAndTouch() => _client.GetAndTouchAsync(_ticketKey, TimeSpan.FromMinutes(20));

    [Benchmark(Description = "ticket read, remembered: mg + copy + key claim")]
    public Task<AuthenticationTicket?> TicketRemembered() => _tickets.RetrieveAsync(_ticketKey);

    [Benchmark(Description = "cart read, remembered: mg")]
    public Task<ShoppingCart> CartRemembered() => _carts.ReadAsync(_ticketKey, CancellationToken.None);

    [Benchmark(Description = "ticket then cart, one after the other (before)")]
    public async Task<ShoppingCart> TicketThenCart()
    {
        await _tickets.RetrieveAsync(_ticketKey);
        return await _carts.ReadAsync(_ticketKey, CancellationToken.None);
    }

    [Benchmark(Description = "ticket and cart sent together (after)")]
    public async Task<ShoppingCart> TicketAndCartTogether()
    {
        var ticket = _tickets.RetrieveAsync(_ticketKey);
        var cart = _carts.ReadAsync(_ticketKey, CancellationToken.None);
        await ticket;
        return await cart;
    }

    [Benchmark(Description = "antiforgery tokens of the sign-out form")]
    public AntiforgeryTokenSet AntiforgeryTokens() => _antiforgery.GetAndStoreTokens(NewContext(_antiforgeryCookie));

    private DefaultHttpContext NewContext(string? cookie)
    {
        var context = new DefaultHttpContext { RequestServices = _services };
        if (cookie is not null)
        {
            context.Request.Headers.Cookie = cookie;
        }

        return context;
    }
}
