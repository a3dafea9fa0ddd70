using DualCache.Memcached;

namespace DualCache.Tests.EndToEnd;

/// <summary>
/// Moving the <c>sessions</c> role off a shared server with <c>Memcached:sessions:MigrateFrom</c>: visitors signed in
/// before the move stay signed in with their carts, and stay so once the setting is removed again.
/// </summary>
[Collection(BrowserScenarios.Name)]
public sealed class SessionMigrationScenarios(BrowserFixture fixture)
{
    private static readonly (string Email, string Name, string[] Cart)[] s_visitors =
    [
        (Visitor.Admin, "Ada Admin", ["Notebook", "Desk lamp"]),
        (Visitor.Customer, "Uma User", ["Fountain pen"]),
        (Visitor.Customer, "Uma User", ["Burr grinder", "Notebook"]),
    ];

    [Fact]
    public async Task Visitors_signed_in_on_a_single_server_keep_their_sign_in_and_cart_when_sessions_move_to_their_own_server()
    {
        await using var single = await DualCacheApp.StartAsync(singleServer: true, settings: Settings());
        var states = new string[s_visitors.Length];
        for (var i = 0; i < s_visitors.Length; i++)
        {
            var (email, _, cart) = s_visitors[i];
            states[i] = await VisitAsync(single, null, async visitor =>
            {
                await visitor.SignInAsync(email);
                foreach (var product in cart)
                {
                    await visitor.AddToCartAsync(product);
                }
            });
        }

        var oldServer = single.CacheServer;
        var newSessions = await LocalMemcached.StartAsync();
        await using var migrating = await single.RestartAsync(oldServer, [newSessions], Settings(oldServer));
        for (var i = 0; i < s_visitors.Length; i++)
        {
            var (_, name, cart) = s_visitors[i];
            states[i] = await VisitAsync(migrating, states[i], async visitor =>
            {
                await visitor.GoToAsync("/");
                await visitor.ExpectSignedInAsAsync(name);
                Assert.Equal(cart, await visitor.OpenCartAsync());

                // A change after the copy: compare-and-swap against the copy's CAS on the new server.
                await visitor.AddToCartAsync("Oak cutting board");
                Assert.Equal([.. cart, "Oak cutting board"], await visitor.OpenCartAsync());
            });
        }

        await using var moved = await migrating.RestartAsync(oldServer, [newSessions], Settings());
        for (var i = 0; i < s_visitors.Length; i++)
        {
            var (_, name, cart) = s_visitors[i];
            await VisitAsync(moved, states[i], async visitor =>
            {
                await visitor.GoToAsync("/");
                await visitor.ExpectSignedInAsAsync(name);
                Assert.Equal([.. cart, "Oak cutting board"], await visitor.OpenCartAsync());
            });
        }
    }

    [Fact]
    public async Task A_visitor_who_signs_out_during_the_move_is_not_signed_in_again_from_the_old_server()
    {
        await using var single = await DualCacheApp.StartAsync(singleServer: true, settings: Settings());
        var signedIn = await VisitAsync(single, null, visitor => visitor.SignInAsync(Visitor.Customer));
        var oldServer = single.CacheServer;
        await using var migrating = await single.RestartAsync(oldServer, [await LocalMemcached.StartAsync()], Settings(oldServer));
        await VisitAsync(migrating, signedIn, async visitor =>
        {
            await visitor.GoToAsync("/");
            await visitor.ExpectSignedInAsAsync("Uma User");
            await visitor.SignOutAsync();
        });

        // The cookie from before the sign-out names a ticket the new server no longer has; had it stayed on the old
        // server, the miss would copy it back.
        await VisitAsync(migrating, signedIn, async visitor =>
        {
            await visitor.GoToAsync("/");
            await visitor.ExpectSignedOutAsync();
        });
    }

    /// <summary>The app's settings, with the old server to migrate from when given.</summary>
    private static Dictionary<string, string?> Settings(LocalMemcached? migrateFrom = null)
    {
        var settings = new Dictionary<string, string?>();
        if (migrateFrom is not null)
        {
            settings["Memcached:sessions:MigrateFrom:Servers"] = migrateFrom.ConnectionString;
        }

        return settings;
    }

    /// <summary>Runs <paramref name="steps"/> in a browser context holding <paramref name="state"/>'s cookies; returns the cookies it ends with.</summary>
    private async Task<string> VisitAsync(DualCacheApp app, string? state, Func<Visitor, Task> steps)
    {
        await using var context = await fixture.Browser.NewContextAsync(new() { BaseURL = app.BaseAddress.ToString(), StorageState = state });
        context.SetDefaultTimeout((float)Visitor.StepTimeout.TotalMilliseconds);
        var page = await context.NewPageAsync();
        try
        {
            await steps(new Visitor(page));
        }
        catch (Exception)
        {
            var folder = Scenario.ArtifactsFolder(nameof(SessionMigrationScenarios));
            await page.ScreenshotAsync(new() { Path = Path.Combine(folder, "screenshot.png"), FullPage = true });
            await File.WriteAllLinesAsync(Path.Combine(folder, "app.log"), app.LogLines);
            throw;
        }

        return await context.StorageStateAsync();
    }
}
