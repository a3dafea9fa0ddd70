using DualCache.Tests.WebApp;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DualCache.Tests.EndToEnd;

/// <summary>
/// 'dotnet run --project WebApp', stopped and started again, as a developer does all day: the memcached processes it
/// started in Development outlive it on stable ports, so the browser is still signed in with its cart, and the demo
/// password on the home page has not changed.
/// </summary>
[Collection(BrowserScenarios.Name)]
public sealed class DevelopmentRestartScenarios(BrowserFixture fixture)
{
    [Fact]
    public async Task Restarting_the_app_in_Development_keeps_the_browser_signed_in_with_its_cart()
    {
        using var folder = new DevelopmentFolder();
        var web = new Uri($"http://127.0.0.1:{DevelopmentFolder.FreePort()}");
        var app = folder.Serve(web.Port);
        try
        {
            await Scenario.RunAsync(fixture.Browser, web, () => [], async visitor =>
            {
                var page = visitor.Page;
                await visitor.GoToAsync("/");
                var password = await DemoPasswordAsync(page);
                await visitor.SignInAsync(Visitor.Customer, password);
                await visitor.AddToCartAsync("Head torch");

                await app.DisposeAsync();

                // Asked without the browser: a refused navigation makes Chromium commit an error page, itself a
                // navigation, which on a loaded machine lands during the next one and interrupts it (CI saw that).
                using (var http = new HttpClient())
                {
                    var refused = await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(new Uri(web, "/cart")));
                    Assert.Equal(HttpRequestError.ConnectionError, refused.HttpRequestError);
                }

                app = folder.Serve(web.Port);
                Assert.Equal(["Head torch"], await visitor.OpenCartAsync());
                await visitor.ExpectSignedInAsAsync("Uma User");
                await visitor.GoToAsync("/");
                Assert.Equal(password, await DemoPasswordAsync(page));
            });
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    private static async Task<string> DemoPasswordAsync(IPage page)
    {
        var password = page.GetByTestId("home-demo-accounts").GetByTestId("demo-password").First;
        await Expect(password).ToBeVisibleAsync();
        return await password.TextContentAsync() ?? "";
    }
}
