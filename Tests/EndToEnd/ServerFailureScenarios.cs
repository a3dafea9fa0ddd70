using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DualCache.Tests.EndToEnd;

/// <summary>A memcached server dies and comes back; the site copes, then recovers by itself.</summary>
[Collection(BrowserScenarios.Name)]
public sealed class ServerFailureScenarios(BrowserFixture fixture)
{
    private static readonly TimeSpan s_recovery = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task When_the_object_cache_server_dies_pages_come_from_the_database_until_it_returns()
    {
        await using var app = await DualCacheApp.StartAsync();
        await Scenario.RunAsync(fixture.Browser, app, async visitor =>
        {
            await visitor.SignInAsync(Visitor.Customer);
            await visitor.OpenCatalogAsync();
            Assert.Equal("cache", (await visitor.OpenCatalogAsync()).Source);

            app.CacheServer.Kill();

            var down = await visitor.OpenCatalogAsync();
            Assert.Equal((200, "database", true, 20), (down.Status, down.Source, down.CacheUnavailableNotice, down.Products));
            await visitor.ExpectSignedInAsAsync("Uma User");
            await visitor.AddToCartAsync("Desk lamp");
            Assert.Equal(["Desk lamp"], await visitor.OpenCartAsync());
            Assert.Equal((200, "Degraded"), await app.HealthAsync());

            await app.CacheServer.RestartAsync();

            await Scenario.EventuallyAsync(visitor.OpenCatalogAsync, view => view is { Source: "cache", CacheUnavailableNotice: false }, s_recovery);

            // Within a few seconds: /health answers from its last result for HealthChecks:ResultCacheDuration.
            await Scenario.EventuallyAsync(app.HealthAsync, health => health == (200, "Healthy"), s_recovery);
        });
    }

    [Fact]
    public async Task When_the_session_server_dies_sign_in_is_unavailable_instead_of_an_error()
    {
        await using var app = await DualCacheApp.StartAsync();
        await Scenario.RunAsync(fixture.Browser, app, async visitor =>
        {
            await visitor.SignInAsync(Visitor.Customer);
            await visitor.AddToCartAsync("Wool throw");
            using var linked = new HttpVisitor(app.BaseAddress);
            await linked.SignInAsync(Visitor.Customer);

            app.SessionsServer.Kill();

            var response = await visitor.GoToAsync("/catalog");
            Assert.Equal(503, response.Status);
            await Expect(visitor.Page.GetByTestId("sign-in-unavailable")).ToHaveTextAsync("Sign-in is unavailable right now");
            Assert.DoesNotContain("Exception", await visitor.Page.ContentAsync(), StringComparison.Ordinal);
            Assert.Equal((503, "Unhealthy"), await app.HealthAsync());

            // The page retries where the visitor was, but never a path a browser reads as another site's address: a
            // link to https://shop//elsewhere.example/ must not forward its signed-in visitor there.
            var (status, page) = await linked.GetAsync("/.//elsewhere.example/x?y=1");
            Assert.Equal(503, status);
            Assert.Contains("content=\"10; url=/\"", page, StringComparison.Ordinal);
            Assert.Contains("content=\"10; url=/catalog?page=2\"", (await linked.GetAsync("/catalog?page=2")).Html, StringComparison.Ordinal);

            // Somebody not signed in learns it on the sign-in page, before typing a password; within a few seconds,
            // not at once: the page reuses its check's result for HealthChecks:ResultCacheDuration (2 s) after the
            // check started, and the visitor's own sign-in, just before the kill, found the server up. Every look is
            // the page itself, never an error.
            await using var stranger = await fixture.Browser.NewContextAsync(new() { BaseURL = app.BaseAddress.ToString() });
            var signInPage = await stranger.NewPageAsync();
            var storeDown = signInPage.GetByTestId("session-store-down");
            await Scenario.EventuallyAsync(
                async () =>
                {
                    var view = await signInPage.GotoAsync("/account/signin");
                    Assert.Equal(200, view?.Status);
                    return await storeDown.CountAsync();
                },
                notices => notices == 1,
                s_recovery);
            await Expect(storeDown).ToContainTextAsync("Signing in does not work right now");

            await app.SessionsServer.RestartAsync();

            // The restarted server is empty: the ticket is gone, so the visitor is signed out, and can sign in again.
            // Nobody reloads: the 503 page and the sign-in page look again by themselves.
            var byItself = new LocatorAssertionsToBeVisibleOptions { Timeout = (float)s_recovery.TotalMilliseconds };
            await Expect(visitor.Page.GetByTestId("read-source")).ToBeVisibleAsync(byItself);
            await Expect(storeDown).ToHaveCountAsync(0, new() { Timeout = (float)s_recovery.TotalMilliseconds });
            await visitor.ExpectSignedOutAsync();
            await visitor.SignInAsync(Visitor.Customer);
            Assert.Empty(await visitor.OpenCartAsync());
        });
    }
}
