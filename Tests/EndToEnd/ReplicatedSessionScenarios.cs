using DualCache.Tests.WebApp;
using DualCache.WebApp.Accounts;
using DualCache.WebApp.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DualCache.Tests.EndToEnd;

/// <summary>
/// Three session servers, every ticket and cart on two of them (the app's default with two servers or more): a
/// session server that dies, or dies and comes back empty, signs nobody out and loses no cart.
/// </summary>
[Collection(BrowserScenarios.Name)]
public sealed class ReplicatedSessionScenarios(BrowserFixture fixture)
{
    private const int Visitors = 50;

    [Fact]
    public async Task A_session_server_killed_and_restarted_signs_nobody_out_and_loses_no_cart()
    {
        await using var app = await DualCacheApp.StartAsync(sessionsServers: 3);
        await Scenario.RunAsync(fixture.Browser, app, async browser =>
        {
            await browser.SignInAsync(Visitor.Customer);
            await browser.AddToCartAsync("Desk lamp");
            var crowd = await SignedInCrowdAsync(app);
            await Task.WhenAll(crowd.Select((visitor, i) => visitor.AddToCartAsync(1 + (i % 20))));

            app.SessionsServers[1].Kill();
            await Task.WhenAll(crowd.Select(async (visitor, i) =>
            {
                await visitor.GetAsync("/catalog");
                await visitor.AddToCartAsync(1 + ((i + 7) % 20));
            }));
            await app.SessionsServers[1].RestartAsync();

            // Past the dead-server retry (two seconds in these tests): the restarted, empty server is in use again.
            await Task.Delay(TimeSpan.FromSeconds(3));
            var carts = await Task.WhenAll(crowd.Select(async visitor =>
            {
                var (_, catalog) = await visitor.GetAsync("/catalog");
                var (_, cart) = await visitor.GetAsync("/cart");
                return (SignedIn: HttpVisitor.ShowsSignedIn(catalog) && HttpVisitor.ShowsSignedIn(cart), Lines: HttpVisitor.CartLines(cart).Count);
            }));

            Assert.Equal(0, carts.Count(cart => !cart.SignedIn));
            Assert.Equal(0, carts.Count(cart => cart.Lines != 2));
            Assert.DoesNotContain(crowd.SelectMany(visitor => visitor.Statuses), status => status >= 500);
            await browser.ExpectSignedInAsAsync("Uma User");
            Assert.Equal(["Desk lamp"], await browser.OpenCartAsync());
            Dispose(crowd);
        });
    }

    [Fact]
    public async Task With_a_session_server_left_down_every_page_is_served_and_new_visitors_sign_in()
    {
        await using var app = await DualCacheApp.StartAsync(sessionsServers: 3);
        var crowd = await SignedInCrowdAsync(app);
        await Task.WhenAll(crowd.Select((visitor, i) => visitor.AddToCartAsync(1 + (i % 20))));

        app.SessionsServers[2].Kill();
        using var late = new HttpVisitor(app.BaseAddress);
        await late.SignInAsync(Visitor.Admin);
        var pages = await Task.WhenAll(crowd.Append(late).Select(async visitor =>
        {
            var (_, catalog) = await visitor.GetAsync("/catalog");
            await visitor.AddToCartAsync(3);
            var (_, cart) = await visitor.GetAsync("/cart");
            return (SignedIn: HttpVisitor.ShowsSignedIn(catalog), Lines: HttpVisitor.CartLines(cart).Count);
        }));

        Assert.All(pages, page => Assert.True(page.SignedIn));
        Assert.All(pages.SkipLast(1), page => Assert.InRange(page.Lines, 1, 2));
        Assert.Equal(1, pages[^1].Lines);
        Assert.All(crowd.Append(late).SelectMany(visitor => visitor.Statuses), status => Assert.True(status is 200 or 302, $"HTTP {status}"));
        Dispose(crowd);
    }

    [Theory]
    [InlineData("Development")]
    [InlineData("Production")]
    public async Task Without_copies_a_dead_session_server_gives_unavailable_pages_and_never_an_error(string environment)
    {
        await using var app = await DualCacheApp.StartAsync(
            sessionsServers: 3, environment: environment, settings: new Dictionary<string, string?> { ["Memcached:sessions:Replicas"] = "1" });
        var crowd = environment == "Development" ? await SignedInCrowdAsync(app) : await SignedInCrowdAsync(app, await app.AddAccountAsync());
        await Task.WhenAll(crowd.Select((visitor, i) => visitor.AddToCartAsync(1 + (i % 20))));

        app.SessionsServers[0].Kill();
        var pages = await Task.WhenAll(crowd.Select(async visitor =>
        {
            var catalog = await visitor.GetAsync("/catalog");
            await visitor.AddToCartAsync(3);
            var cart = await visitor.GetAsync("/cart");
            return new[] { catalog, cart }.Where(page => page.Status == 503).Select(page => page.Html).ToList();
        }));

        var statuses = crowd.SelectMany(visitor => visitor.Statuses).ToList();
        Assert.All(statuses, status => Assert.True(status is 200 or 302 or 503, $"HTTP {status}"));

        // The control: a third of the tickets and carts were on the dead server, so some pages did say so.
        var unavailable = pages.SelectMany(page => page).ToList();
        Assert.NotEmpty(unavailable);
        Assert.All(unavailable, html => Assert.True(
            html.Contains("data-testid=\"sign-in-unavailable\"", StringComparison.Ordinal) || html.Contains("data-testid=\"cart-unavailable\"", StringComparison.Ordinal),
            html));
        Dispose(crowd);
    }

    [Fact]
    public async Task A_signed_in_page_view_with_two_copies_reads_each_key_once_and_touches_its_copy_alongside()
    {
        await using var app = await DualCacheApp.StartAsync(sessionsServers: 3);
        using var visitor = new HttpVisitor(app.BaseAddress);
        await visitor.SignInAsync(Visitor.Customer);
        await visitor.AddToCartAsync(1);
        await visitor.GetAsync("/catalog");
        var servers = app.SessionsServers.Select(server => new RoundTrips(server.EndPoint)).ToList();

        var (status, _) = await visitor.GetAsync("/catalog");

        Assert.Equal(200, status);
        Assert.Equal(["get_and_touch", "get_and_touch", "touch", "touch"], servers.SelectMany(server => server.Operations).Order());
        servers.ForEach(server => server.Dispose());
    }

    /// <param name="app">The app.</param>
    /// <param name="account">Everybody signs in as this one (email, password); by default half as each demo account.</param>
    private static async Task<List<HttpVisitor>> SignedInCrowdAsync(DualCacheApp app, (string Email, string Password)? account = null)
    {
        // One after the other: fifty password hashes at once would starve a two-core machine, which is another test.
        var crowd = Enumerable.Range(0, Visitors).Select(_ => new HttpVisitor(app.BaseAddress)).ToList();
        for (var i = 0; i < crowd.Count; i++)
        {
            await (account is var (email, password)
                ? crowd[i].SignInAsync(email, password)
                : crowd[i].SignInAsync(i % 2 == 0 ? Visitor.Customer : Visitor.Admin));
        }

        return crowd;
    }

    private static void Dispose(List<HttpVisitor> crowd) => crowd.ForEach(visitor => visitor.Dispose());
}
