using static Microsoft.Playwright.Assertions;

namespace DualCache.Tests.EndToEnd;

[Collection(BrowserScenarios.Name)]
public sealed class CartScenarios(BrowserFixture fixture)
{
    [Fact]
    public Task An_add_is_confirmed_and_a_line_can_be_removed() => Scenario.RunAsync(fixture.Browser, fixture.App, async visitor =>
    {
        await visitor.SignInAsync(Visitor.Customer);
        await visitor.AddToCartAsync("Desk lamp");
        await Expect(visitor.Page.GetByTestId("message")).ToHaveTextAsync("Added Desk lamp to your cart.");
        await visitor.AddToCartAsync("Plant pot");

        var lamp = visitor.Page.GetByTestId("cart-line").Filter(new() { HasText = "Desk lamp" });
        await visitor.ClickThroughAsync(lamp.GetByTestId("cart-line-remove"), "/cart");

        await Expect(visitor.Page.GetByTestId("message")).ToHaveTextAsync("Removed from your cart.");
        Assert.Equal(["Plant pot"], await visitor.OpenCartAsync());
        await Expect(visitor.Page.GetByTestId("cart-count")).ToHaveTextAsync("(1)");
    });

    [Fact]
    public Task A_removal_without_the_antiforgery_token_is_refused() => Scenario.RunAsync(fixture.Browser, fixture.App, async visitor =>
    {
        await visitor.SignInAsync(Visitor.Customer);
        await visitor.AddToCartAsync("Canvas tote");
        var ids = await visitor.CatalogProductIdsAsync();
        var form = visitor.Page.APIRequest.CreateFormData();
        form.Set("productId", ids[15].ToString(System.Globalization.CultureInfo.InvariantCulture));

        var forged = await visitor.Page.APIRequest.PostAsync("/cart/remove", new() { Form = form, MaxRedirects = 0 });

        Assert.Equal(400, forged.Status);
        Assert.Equal(["Canvas tote"], await visitor.OpenCartAsync());
    });
}
