using static Microsoft.Playwright.Assertions;

namespace DualCache.Tests.EndToEnd;

/// <summary>What an admin's flush does to a signed-in visitor, when objects and sessions live on separate servers.</summary>
[Collection(BrowserScenarios.Name)]
public sealed class CacheFlushScenarios(BrowserFixture fixture)
{
    [Fact]
    public Task Flushing_the_object_cache_keeps_the_user_signed_in() => Scenario.RunAsync(fixture.Browser, fixture.App, async visitor =>
    {
        await visitor.SignInAsync(Visitor.Admin);
        await visitor.OpenCatalogAsync();
        var cached = await visitor.OpenCatalogAsync();
        Assert.Equal("cache", cached.Source);
        await visitor.AddToCartAsync("Burr grinder");

        await visitor.FlushAsync("cache");

        await visitor.ExpectSignedInAsAsync("Ada Admin");
        await Expect(visitor.Page.GetByTestId("message")).ToContainTextAsync("You are still signed in, your cart is intact (1 item), and the next catalog view reads the database once");
        Assert.Contains(fixture.App.Logs.GetSnapshot(), record => record.Message.Contains($"{Visitor.Admin} flushed the cache role", StringComparison.Ordinal));
        Assert.Equal(["Burr grinder"], await visitor.OpenCartAsync());
        var afterFlush = await visitor.OpenCatalogAsync();
        Assert.Equal(("database", cached.DatabaseQueries + 1), (afterFlush.Source, afterFlush.DatabaseQueries));
        var next = await visitor.OpenCatalogAsync();
        Assert.Equal(("cache", afterFlush.DatabaseQueries), (next.Source, next.DatabaseQueries));
        await visitor.ExpectSignedInAsAsync("Ada Admin");
    });

    [Fact]
    public Task Flushing_the_session_store_signs_the_user_out() => Scenario.RunAsync(fixture.Browser, fixture.App, async visitor =>
    {
        await visitor.SignInAsync(Visitor.Admin);
        await visitor.AddToCartAsync("Fountain pen");

        await visitor.FlushAsync("sessions");

        await visitor.ExpectSignedOutAsync();
        await Expect(visitor.Page.GetByTestId("message")).ToContainTextAsync("everybody was just signed out, you included");
        await visitor.GoToAsync("/cart");
        Assert.Contains("/account/signin", visitor.Page.Url, StringComparison.Ordinal);
        await visitor.SignInAsync(Visitor.Admin);
        Assert.Empty(await visitor.OpenCartAsync());
    });
}
