using DualCache.Tests.WebApp;
using DualCache.WebApp.Catalog;

namespace DualCache.Tests.EndToEnd;

/// <summary>What a page view and a sign-in cost in memcached round trips: two of the three flows to keep short.</summary>
[Collection(BrowserScenarios.Name)]
public sealed class PageViewCostScenarios(BrowserFixture fixture)
{
    [Fact]
    public Task A_signed_in_catalog_view_reads_the_ticket_and_the_cart_and_then_the_cached_catalog() =>
        Scenario.RunAsync(fixture.Browser, fixture.App, async visitor =>
        {
            await visitor.SignInAsync(Visitor.Customer);
            await visitor.AddToCartAsync("Oak cutting board");
            await visitor.OpenCatalogAsync();
            using var sessions = new RoundTrips(fixture.App.SessionsServer.EndPoint);
            using var cache = new RoundTrips(fixture.App.CacheServer.EndPoint);

            var view = await visitor.Page.APIRequest.GetAsync("/catalog");

            Assert.Equal(200, view.Status);
            var html = await view.TextAsync();
            Assert.Contains("data-source=\"cache\"", html, StringComparison.Ordinal);
            Assert.Equal(["get_and_touch", "get_and_touch"], sessions.Operations);
            Assert.Equal(["get"], cache.Operations);

            // What it sends: the products' buttons share one form and one antiforgery field (the other is sign-out's).
            Assert.Equal(CatalogSeed.Products.Count, Occurrences(html, "data-testid=\"add-to-cart\""));
            Assert.Equal(2, Occurrences(html, "name=\"__RequestVerificationToken\""));
        });

    [Fact]
    public Task The_caches_pages_live_refresh_reads_the_ticket_and_not_the_cart_it_does_not_show() =>
        Scenario.RunAsync(fixture.Browser, fixture.App, async visitor =>
        {
            await visitor.SignInAsync(Visitor.Customer);
            await visitor.AddToCartAsync("Oak cutting board");
            using var sessions = new RoundTrips(fixture.App.SessionsServer.EndPoint);

            var refresh = await visitor.Page.APIRequest.GetAsync("/caches/live");

            Assert.Equal(200, refresh.Status);
            Assert.Equal(["get_and_touch"], sessions.Operations);
        });

    [Fact]
    public Task Signing_in_adds_one_new_ticket_and_does_nothing_else_on_the_session_store() =>
        Scenario.RunAsync(fixture.Browser, fixture.App, async visitor =>
        {
            await visitor.GoToAsync("/account/signin");
            var form = visitor.Page.APIRequest.CreateFormData();
            form.Set("Form.Email", Visitor.Customer);
            form.Set("Form.Password", DualCacheApp.DemoPassword);
            form.Set("__RequestVerificationToken", await visitor.AntiforgeryTokenAsync());
            using var sessions = new RoundTrips(fixture.App.SessionsServer.EndPoint);

            var signIn = await visitor.Page.APIRequest.PostAsync("/account/signin", new() { Form = form, MaxRedirects = 0 });

            Assert.Equal(302, signIn.Status);
            Assert.Equal(["add"], sessions.Operations);
        });

    private static int Occurrences(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;
}
