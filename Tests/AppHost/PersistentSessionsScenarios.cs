using DualCache.Tests.EndToEnd;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;

namespace DualCache.Tests.AppHost;

/// <summary>
/// Why <c>sessions</c> is a persistent container: it outlives the AppHost, so stopping and starting the whole AppHost
/// signs nobody out. The scenario uses a persistent container of its own name and removes it at the end, so it never
/// reuses or recreates the developer's.
/// </summary>
[Collection(ContainerAppHostScenarios.Name)]
public sealed class PersistentSessionsScenarios
{
    [Fact]
    public async Task Restarting_the_AppHost_keeps_the_user_signed_in()
    {
        var container = $"dualcache-test-sessions-{Guid.NewGuid():N}";
        var data = Directory.CreateTempSubdirectory("dualcache-apphost-");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserFixture.LaunchAsync(playwright);
        await using var context = await browser.NewContextAsync();
        context.SetDefaultTimeout(15_000);
        var visitor = new Visitor(await context.NewPageAsync());
        try
        {
            await using (var first = await DualCacheAppHost.StartAsync("Container", data, persistentSessionsContainer: container))
            {
                await visitor.GoToAsync(new Uri(first.WebApp, "/").ToString());
                await visitor.SignInAsync(Visitor.Customer);
                await visitor.AddToCartAsync("Fountain pen");
            }

            Assert.True(await ContainerEngine.ExistsAsync(container), $"The persistent container '{container}' did not outlive the AppHost.");

            await using var second = await DualCacheAppHost.StartAsync("Container", data, persistentSessionsContainer: container);
            // The web app has a new port; the browser sends the same cookie to it (cookies belong to the host).
            await visitor.GoToAsync(new Uri(second.WebApp, "/catalog").ToString());
            await visitor.ExpectSignedInAsAsync("Uma User");
            Assert.Equal(["Fountain pen"], await visitor.OpenCartAsync());
        }
        finally
        {
            await ContainerEngine.RemoveAsync(container);
            SqliteConnection.ClearAllPools();
            data.Delete(recursive: true);
        }
    }
}
