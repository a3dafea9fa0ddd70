using Microsoft.Playwright;

namespace DualCache.Tests.EndToEnd;

/// <summary>What a visitor's session is: one sign-in of one account, with a cart that concurrent requests do not lose.</summary>
[Collection(BrowserScenarios.Name)]
public sealed class SessionScenarios(BrowserFixture fixture)
{
    [Fact]
    public Task Twenty_adds_to_the_cart_at_once_all_end_up_in_the_cart() =>
        Scenario.RunAsync(fixture.Browser, fixture.App, async visitor =>
        {
            await visitor.SignInAsync(Visitor.Customer);
            var products = (await visitor.CatalogProductIdsAsync()).Take(20).ToList();
            var token = await visitor.AntiforgeryTokenAsync();

            var statuses = await Task.WhenAll(products.Select(id => visitor.PostAddToCartAsync(id, token)));

            Assert.All(statuses, status => Assert.Equal(302, status));
            Assert.Equal(20, (await visitor.OpenCartAsync()).Count);
        });

    [Fact]
    public Task Signing_out_and_in_as_another_account_starts_a_new_session_without_the_old_cart() =>
        Scenario.RunAsync(fixture.Browser, fixture.App, async visitor =>
        {
            await visitor.SignInAsync(Visitor.Admin);
            await visitor.AddToCartAsync("Desk lamp");
            var adminSession = await SessionCookiesAsync(visitor.Page.Context);

            await visitor.SignOutAsync();
            var signedOut = await SessionCookiesAsync(visitor.Page.Context);
            await visitor.SignInAsync(Visitor.Customer);

            Assert.Empty(await visitor.OpenCartAsync());
            var customerSession = await SessionCookiesAsync(visitor.Page.Context);
            Assert.Empty(adminSession.Intersect(customerSession));
            Assert.Empty(adminSession.Intersect(signedOut));
        });

    [Fact]
    public async Task A_second_browser_holding_the_first_ones_session_cookies_under_another_account_sees_its_own_cart()
    {
        await using var victimContext = await fixture.Browser.NewContextAsync(new() { BaseURL = fixture.App.BaseAddress.ToString() });
        var victim = new Visitor(await victimContext.NewPageAsync());
        await victim.SignInAsync(Visitor.Customer);
        await victim.AddToCartAsync("Desk lamp");
        var victimCookies = await victimContext.CookiesAsync();

        await Scenario.RunAsync(fixture.Browser, fixture.App, async other =>
        {
            await other.SignInAsync(Visitor.Admin);

            // Every cookie of the first browser except its sign-in: whatever identifies a session rides along.
            await other.Page.Context.AddCookiesAsync(victimCookies
                .Where(cookie => cookie.Name != "dualcache.auth")
                .Select(cookie => new Cookie { Name = cookie.Name, Value = cookie.Value, Domain = cookie.Domain, Path = cookie.Path }));
            await other.ExpectSignedInAsAsync("Ada Admin");
            Assert.Empty(await other.OpenCartAsync());
            await other.AddToCartAsync("Wool throw");
        });

        Assert.Equal(["Desk lamp"], await victim.OpenCartAsync());
    }

    /// <summary>The cookies that carry a session or a sign-in, as name=value.</summary>
    private static async Task<IReadOnlyList<string>> SessionCookiesAsync(IBrowserContext context) =>
        [.. (await context.CookiesAsync())
            .Where(cookie => cookie.Name.StartsWith("dualcache.", StringComparison.Ordinal))
            .Select(cookie => $"{cookie.Name}={cookie.Value}")];
}
