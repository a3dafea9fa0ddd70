using static Microsoft.Playwright.Assertions;

namespace DualCache.Tests.EndToEnd;

/// <summary>
/// The README's pictures, taken from the pages they show on an app of their own: the home page, the live caches page
/// and the result of flushing the object cache. They are written to TestResults/playwright/readme/ at every run;
/// docs/screenshots.sh runs this scenario (and the dashboard's) and copies them into docs/.
/// </summary>
[Collection(BrowserScenarios.Name)]
public sealed class ReadmeScreenshotScenarios(BrowserFixture fixture)
{
    public const string Folder = "readme";

    [Fact]
    public async Task The_README_pictures_show_the_lesson()
    {
        await using var app = await DualCacheApp.StartAsync(settings: new Dictionary<string, string?>
        {
            // A chart of the last 20 seconds, refreshed each second, has drawn something by the time it is taken.
            ["CachesPage:RefreshInterval"] = "00:00:01",
            ["CachesPage:History"] = "00:00:20",
        });
        await Scenario.RunAsync(fixture.Browser, app, async visitor =>
        {
            var page = visitor.Page;
            var folder = Scenario.ArtifactsFolder(Folder);
            await page.SetViewportSizeAsync(1200, 900);

            await visitor.GoToAsync("/");
            await Expect(page.GetByTestId("intro")).ToContainTextAsync("separate servers");
            await page.ScreenshotAsync(new() { Path = Path.Combine(folder, "home-page.png") });

            await visitor.SignInAsync(Visitor.Admin);
            await visitor.AddToCartAsync("Head torch");
            await visitor.AddToCartAsync("Pour-over kettle");
            await visitor.GoToAsync("/caches");

            // Page views from another tab while the caches page is open, so that its charts have something to draw.
            await Scenario.EventuallyAsync(
                async () =>
                {
                    for (var view = 0; view < 5; view++)
                    {
                        await page.APIRequest.GetAsync("/catalog");
                    }

                    return await page.Locator("[data-testid=role-cache] polyline.chart-hits").GetAttributeAsync("points") ?? "";
                },
                points => points.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length >= 12,
                TimeSpan.FromSeconds(30));
            await page.ScreenshotAsync(new() { Path = Path.Combine(folder, "caches-page.png"), FullPage = true });

            await visitor.FlushAsync("cache");
            await Expect(page.GetByTestId("message")).ToContainTextAsync("You are still signed in, your cart is intact (2 items)");
            await page.ScreenshotAsync(new() { Path = Path.Combine(folder, "flush-result.png") });

            Assert.Equal(["caches-page.png", "flush-result.png", "home-page.png"], Directory.GetFiles(folder).Select(Path.GetFileName).Order());
        });
    }
}
