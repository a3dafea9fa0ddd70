using Aspire.Hosting.Testing;
using DualCache.Tests.EndToEnd;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DualCache.Tests.AppHost;

/// <summary>The Aspire dashboard as a developer uses it: the three resources, and the Flush button on the object cache.</summary>
[Collection(ContainerAppHostScenarios.Name)]
public sealed class DashboardScenarios(ContainerAppHostFixture fixture)
{
    private static readonly string[] s_resources = ["cache", "sessions", "webapp"];

    [Fact]
    public Task Flushing_the_object_cache_from_the_dashboard_keeps_the_user_signed_in() => fixture.RunAsync(async visitor =>
    {
        await visitor.SignInAsync(Visitor.Customer);
        await visitor.AddToCartAsync("Burr grinder");
        Assert.Equal("cache", (await visitor.OpenCatalogAsync()).Source);

        var loginUrl = await fixture.AppHost.Application.GetDashboardUrlAsync()
            ?? throw new InvalidOperationException("The AppHost runs no dashboard.");
        await using var developer = await fixture.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1400, Height = 800 } });
        developer.SetDefaultTimeout(30_000);
        var dashboard = new Dashboard(await developer.NewPageAsync());
        await dashboard.SignInAsync(loginUrl);
        foreach (var resource in s_resources)
        {
            await dashboard.ExpectRunningAsync(resource);
        }

        await dashboard.ScreenshotAsync("dashboard-resources.png");
        await dashboard.RunCommandAsync("cache", "Flush", confirm: true);

        // The command runs after the confirmation; the next catalog view after it reads the database.
        var afterFlush = await Scenario.EventuallyAsync(visitor.OpenCatalogAsync, c => c.Source == "database", TimeSpan.FromSeconds(30));
        Assert.Equal(200, afterFlush.Status);
        await visitor.ExpectSignedInAsAsync("Uma User");
        Assert.Equal(["Burr grinder"], await visitor.OpenCartAsync());

        await dashboard.OpenMetricAsync("webapp", "memcached.client.operations");
        await dashboard.ScreenshotAsync("dashboard-metrics.png");
    });
}

/// <summary>The Aspire dashboard's pages, in the words a developer sees on them.</summary>
public sealed class Dashboard(IPage page)
{
    /// <summary>The login URL carries the browser token the AppHost printed; it leads to the resources page.</summary>
    public async Task SignInAsync(Uri loginUrl)
    {
        await page.GotoAsync(loginUrl.ToString());
        await Expect(page.GetByRole(AriaRole.Columnheader, new() { Name = "State" })).ToBeVisibleAsync();
    }

    /// <summary>The resource's State cell says "Running" and nothing else: not starting, not unhealthy.</summary>
    public async Task ExpectRunningAsync(string resource) =>
        await Expect(Row(resource).Locator("td[col-index='2']")).ToHaveAttributeAsync("aria-label", "Running");

    /// <summary>The resource's "..." menu, then the command, then "Yes" when it asks.</summary>
    public async Task RunCommandAsync(string resource, string displayName, bool confirm)
    {
        // The dialog's buttons carry no role of their own (Fluent web components): find them by their text.
        var yes = page.Locator("[slot='action'] fluent-button").Filter(new() { HasTextString = "Yes" });
        for (var attempt = 1; ; attempt++)
        {
            await Row(resource).GetByRole(AriaRole.Button, new() { Name = "Actions" }).ClickAsync();
            await page.GetByRole(AriaRole.Menuitem, new() { Name = displayName }).ClickAsync();
            if (!confirm)
            {
                return;
            }

            // On a loaded machine the menu can take the click while the dashboard's circuit is still catching up, and
            // no dialog follows (CI, two suites at once). The command has not run then: opening the menu again is safe.
            try
            {
                await yes.WaitForAsync(new() { Timeout = 10_000 });
                break;
            }
            catch (TimeoutException) when (attempt < 3)
            {
                // A dialog that opens late must be gone before the menu opens again: two would both match "Yes".
                await page.Keyboard.PressAsync("Escape");
                await yes.WaitForAsync(new() { State = WaitForSelectorState.Hidden });
            }
        }

        await yes.ClickAsync();
    }

    public async Task OpenMetricAsync(string resource, string instrument)
    {
        await page.GotoAsync(new Uri(new Uri(page.Url), $"/metrics/resource/{resource}").ToString());
        await page.Locator($"fluent-tree-item[title='{instrument}']").ClickAsync();
        // The chart's filters list the tag every memcached measurement carries: one value per role.
        await Expect(page.GetByRole(AriaRole.Gridcell, new() { Name = "memcached.client", Exact = true })).ToBeVisibleAsync();
    }

    /// <summary>Kept with the scenario's artifacts, in TestResults/playwright/dashboard/.</summary>
    public async Task ScreenshotAsync(string file)
    {
        var folder = Path.Combine(Scenario.ResultsFolder(), "playwright", "dashboard");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, file) });
    }

    /// <summary>The row whose name cell reads "Container: cache", "Project: webapp" and so on.</summary>
    private ILocator Row(string resource) =>
        page.Locator("tr.resource-row").Filter(new() { Has = page.Locator($"td[col-index='1'][aria-label$=': {resource}']") });
}
