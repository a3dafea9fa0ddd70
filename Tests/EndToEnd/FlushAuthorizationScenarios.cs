using DualCache.WebApp.Catalog;
using static Microsoft.Playwright.Assertions;

namespace DualCache.Tests.EndToEnd;

/// <summary>Only an admin may flush, and only from a form the app served.</summary>
[Collection(BrowserScenarios.Name)]
public sealed class FlushAuthorizationScenarios(BrowserFixture fixture)
{
    [Fact]
    public Task A_non_admin_cannot_flush() => Scenario.RunAsync(fixture.Browser, fixture.App, async visitor =>
    {
        await visitor.SignInAsync(Visitor.Customer);
        await visitor.OpenCatalogAsync();
        await visitor.GoToAsync("/caches");
        await Expect(visitor.Page.GetByTestId("role-cache")).ToBeVisibleAsync();
        await Expect(visitor.Page.GetByTestId("flush-cache")).ToHaveCountAsync(0);
        var token = await visitor.AntiforgeryTokenAsync();

        var confirmation = await visitor.GoToAsync("/caches/cache/flush");
        var form = visitor.Page.APIRequest.CreateFormData();
        form.Set("__RequestVerificationToken", token);
        var flush = await visitor.Page.APIRequest.PostAsync("/caches/cache/flush", new() { Form = form });

        Assert.Equal((403, 403), (confirmation.Status, flush.Status));
        await Expect(visitor.Page.GetByTestId("access-denied")).ToBeVisibleAsync();
        Assert.NotNull(await fixture.App.CacheClient.GetItemAsync(CatalogService.ProductsKey));
    });

    [Fact]
    public Task A_flush_without_the_antiforgery_token_is_refused() => Scenario.RunAsync(fixture.Browser, fixture.App, async visitor =>
    {
        await visitor.SignInAsync(Visitor.Admin);
        await visitor.OpenCatalogAsync();
        await visitor.GoToAsync("/caches");
        var token = await visitor.AntiforgeryTokenAsync();

        var forged = await visitor.Page.APIRequest.PostAsync("/caches/cache/flush");

        Assert.Equal(400, forged.Status);
        Assert.NotNull(await fixture.App.CacheClient.GetItemAsync(CatalogService.ProductsKey));

        // The same request with the token does flush: the refusal above was the token's doing.
        var form = visitor.Page.APIRequest.CreateFormData();
        form.Set("__RequestVerificationToken", token);
        var genuine = await visitor.Page.APIRequest.PostAsync("/caches/cache/flush", new() { Form = form });
        Assert.Equal(200, genuine.Status);
        Assert.Null(await fixture.App.CacheClient.GetItemAsync(CatalogService.ProductsKey));
    });
}
