using static Microsoft.Playwright.Assertions;

namespace DualCache.Tests.EndToEnd;

/// <summary>Both roles on one memcached: the setup this app exists to show the problem of.</summary>
[Collection(BrowserScenarios.Name)]
public sealed class SingleServerModeScenarios(BrowserFixture fixture)
{
    [Fact]
    public async Task In_single_server_mode_one_flush_signs_the_user_out()
    {
        await using var app = await DualCacheApp.StartAsync(singleServer: true);
        await Scenario.RunAsync(fixture.Browser, app, async visitor =>
        {
            await visitor.SignInAsync(Visitor.Admin);
            await visitor.AddToCartAsync("Notebook");
            Assert.Equal(["Notebook"], await visitor.OpenCartAsync());
            await visitor.GoToAsync("/caches");
            await Expect(visitor.Page.GetByTestId("single-server-mode")).ToContainTextAsync(app.CacheServer.ConnectionString);

            await visitor.FlushAsync("cache");

            await visitor.ExpectSignedOutAsync();
            await Expect(visitor.Page.GetByTestId("message")).ToContainTextAsync("signed everybody out, you included");
            await visitor.SignInAsync(Visitor.Admin);
            Assert.Empty(await visitor.OpenCartAsync());
        });
    }
}
