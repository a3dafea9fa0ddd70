using DualCache.Memcached;
using static Microsoft.Playwright.Assertions;

namespace DualCache.Tests.EndToEnd;

/// <summary>The caches page: what each kind of visitor sees, and that it is live.</summary>
[Collection(BrowserScenarios.Name)]
public sealed class CachesPageScenarios(BrowserFixture fixture)
{
    [Fact]
    public Task An_anonymous_visitor_learns_what_the_caches_page_is_and_that_it_needs_an_admin() => Scenario.RunAsync(fixture.Browser, fixture.App, async visitor =>
    {
        var response = await visitor.GoToAsync("/caches");

        Assert.Equal((200, "/caches"), (response.Status, new Uri(visitor.Page.Url).AbsolutePath));
        await Expect(visitor.Page.GetByTestId("caches-need-admin")).ToContainTextAsync("for admins");
        await Expect(visitor.Page.GetByTestId("role-sessions")).ToContainTextAsync("sign-in");
        AssertNoServerDetails(await visitor.Page.ContentAsync(), await ServerDetailsAsync(fixture.App));
    });

    [Fact]
    public Task A_customer_sees_each_roles_activity_but_nothing_about_the_servers() => Scenario.RunAsync(fixture.Browser, fixture.App, async visitor =>
    {
        var details = await ServerDetailsAsync(fixture.App);
        await visitor.SignInAsync(Visitor.Customer);
        await visitor.OpenCatalogAsync();

        await visitor.GoToAsync("/caches");

        await Expect(visitor.Page.GetByTestId("items-cache")).ToBeVisibleAsync();
        await Expect(visitor.Page.GetByTestId("hit-ratio-sessions")).ToContainTextAsync("all clients, since the server started");
        AssertNoServerDetails(await visitor.Page.ContentAsync(), details);
        AssertNoServerDetails(await (await visitor.Page.APIRequest.GetAsync("/caches/live")).TextAsync(), details);
    });

    [Fact]
    public Task An_admin_sees_every_server_of_both_roles() => Scenario.RunAsync(fixture.Browser, fixture.App, async visitor =>
    {
        var details = await ServerDetailsAsync(fixture.App);
        await visitor.SignInAsync(Visitor.Admin);

        await visitor.GoToAsync("/caches");

        var page = await visitor.Page.ContentAsync();
        Assert.All(details, detail => Assert.Contains(detail, page, StringComparison.Ordinal));
        await Expect(visitor.Page.GetByTestId("server")).ToHaveCountAsync(2);
    });

    [Fact]
    public async Task The_caches_page_shows_a_flush_without_a_reload()
    {
        await using var app = await DualCacheApp.StartAsync(settings: new Dictionary<string, string?> { ["CachesPage:RefreshInterval"] = "00:00:01" });
        await Scenario.RunAsync(fixture.Browser, app, async visitor =>
        {
            await visitor.SignInAsync(Visitor.Admin);
            await visitor.OpenCatalogAsync();
            await visitor.GoToAsync("/caches");
            await Expect(visitor.Page.GetByTestId("last-flush-cache")).ToContainTextAsync("None from this app");
            await Expect(visitor.Page.GetByTestId("ops-cache")).Not.ToContainTextAsync("measuring");
            await visitor.Page.EvaluateAsync("() => window.sameDocument = true");

            // Another tab flushes; this one is left alone.
            var form = visitor.Page.APIRequest.CreateFormData();
            form.Set("__RequestVerificationToken", await visitor.AntiforgeryTokenAsync());
            Assert.Equal(200, (await visitor.Page.APIRequest.PostAsync("/caches/cache/flush", new() { Form = form })).Status);

            await Expect(visitor.Page.GetByTestId("last-flush-cache")).ToContainTextAsync($"by {Visitor.Admin}");
            Assert.True(await visitor.Page.EvaluateAsync<bool>("() => window.sameDocument === true"), "The page was reloaded.");
            await Expect(visitor.Page.GetByTestId("stored-since-flush-cache")).ToHaveTextAsync("0");
            await visitor.OpenCatalogAsync();
            await visitor.GoToAsync("/caches");
            await Expect(visitor.Page.GetByTestId("stored-since-flush-cache")).ToHaveTextAsync("1");
        });
    }

    /// <summary>What only an admin may see: both servers' addresses and ports, their version, the key prefixes.</summary>
    private static async Task<IReadOnlyList<string>> ServerDetailsAsync(DualCacheApp app)
    {
        var version = (await app.CacheClient.GetVersionsAsync()).Single().Version ?? throw new InvalidOperationException("No version.");
        return
        [
            app.CacheServer.ConnectionString,
            app.SessionsServer.ConnectionString,
            $":{app.CacheServer.Port}",
            $":{app.SessionsServer.Port}",
            version,
            "cache:",
            "sessions:",
        ];
    }

    private static void AssertNoServerDetails(string html, IReadOnlyList<string> details) =>
        Assert.All(details, detail => Assert.DoesNotContain(detail, html, StringComparison.Ordinal));
}
