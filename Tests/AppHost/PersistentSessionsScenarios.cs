using DualCache.Tests.EndToEnd;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;

namespace DualCache.Tests.AppHost;

/// <summary>
/// Why <c>sessions</c> is a persistent container: it outlives the AppHost, so stopping and starting the whole AppHost
/// signs nobody out. The scenario uses a persistent container of its own name and removes it at the end, so it never
/// reuses or recreates the developer's.
/// </summary>
[Collection(Name)]
public sealed class PersistentSessionsScenarios
{
    public const string Name = "AppHost scenarios (restarts)";

    [Fact]
    public async Task Restarting_the_AppHost_keeps_the_user_signed_in()
    {
        var container = $"dualcache-test-sessions-{Guid.NewGuid():N}";
        var data = Directory.CreateTempSubdirectory("dualcache-apphost-");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserFixture.LaunchAsync(playwright);
        try
        {
            string cookies;
            await using (var first = await DualCacheAppHost.StartAsync("Container", data, persistentSessionsContainer: container))
            {
                await using var before = await browser.NewContextAsync(new() { BaseURL = first.WebApp.ToString() });
                var visitor = new Visitor(await before.NewPageAsync());
                await visitor.SignInAsync(Visitor.Customer);
                await visitor.AddToCartAsync("Fountain pen");
                cookies = await before.StorageStateAsync();
            }

            Assert.True(await ContainerEngine.ExistsAsync(container), $"The persistent container '{container}' did not outlive the AppHost.");

            await using var second = await DualCacheAppHost.StartAsync("Container", data, persistentSessionsContainer: container);
            // The web app has a new port; the browser still holds the cookies it was given (cookies belong to the host).
            await using var after = await browser.NewContextAsync(new() { BaseURL = second.WebApp.ToString(), StorageState = cookies });
            var returning = new Visitor(await after.NewPageAsync());
            await returning.GoToAsync("/catalog");
            await returning.ExpectSignedInAsAsync("Uma User");
            Assert.Equal(["Fountain pen"], await returning.OpenCartAsync());
        }
        finally
        {
            await ContainerEngine.RemoveAsync(container);
            SqliteConnection.ClearAllPools();
            data.Delete(recursive: true);
        }
    }
}
