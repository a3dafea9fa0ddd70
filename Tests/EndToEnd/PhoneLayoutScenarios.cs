namespace DualCache.Tests.EndToEnd;

/// <summary>The pages on a phone: nothing wider than the screen. Screenshots at 390 px are kept in the test results.</summary>
[Collection(BrowserScenarios.Name)]
public sealed class PhoneLayoutScenarios(BrowserFixture fixture)
{
    private static readonly string[] s_anonymousPages = ["/", "/catalog", "/catalog/1", "/account/signin", "/caches"];
    private static readonly string[] s_adminPages = ["/", "/cart", "/caches", "/caches/cache/flush"];

    [Theory]
    [InlineData(360)]
    [InlineData(390)]
    public Task No_page_scrolls_sideways_on_a_phone(int width) => Scenario.RunAsync(fixture.Browser, fixture.App, async visitor =>
    {
        var folder = Scenario.ArtifactsFolder($"phone-layout-{width}");
        await visitor.Page.SetViewportSizeAsync(width, 800);
        var tooWide = new List<string>();
        async Task CheckAsync(string path, string who)
        {
            await visitor.GoToAsync(path);
            var widths = await visitor.Page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
            var (scrollWidth, innerWidth) = (widths[0], widths[1]);
            if (scrollWidth > innerWidth)
            {
                tooWide.Add($"{who} {path}: {scrollWidth} px wide in {innerWidth} px");
            }

            if (width == 390)
            {
                var name = $"{who}{(path == "/" ? "-home" : path.Replace('/', '-'))}.png";
                await visitor.Page.ScreenshotAsync(new() { Path = Path.Combine(folder, name), FullPage = true });
            }
        }

        foreach (var path in s_anonymousPages)
        {
            await CheckAsync(path, "visitor");
        }

        await visitor.SignInAsync(Visitor.Admin);
        await visitor.AddToCartAsync("Head torch");
        foreach (var path in s_adminPages)
        {
            await CheckAsync(path, "admin");
        }

        Assert.Empty(tooWide);
        if (width == 390)
        {
            Assert.Equal(s_anonymousPages.Length + s_adminPages.Length, Directory.GetFiles(folder, "*.png").Length);
        }
    });
}
