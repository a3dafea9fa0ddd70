using static Microsoft.Playwright.Assertions;

namespace DualCache.Tests.EndToEnd;

/// <summary>The front door teaches the lesson: a newcomer follows its "try it" steps and sees it happen.</summary>
[Collection(BrowserScenarios.Name)]
public sealed class HomePageScenarios(BrowserFixture fixture)
{
    [Fact]
    public Task A_newcomer_follows_the_guided_path_from_the_home_page() => Scenario.RunAsync(fixture.Browser, fixture.App, async visitor =>
    {
        var page = visitor.Page;
        await visitor.GoToAsync("/");
        await Expect(page.GetByTestId("intro")).ToContainTextAsync("separate servers");
        var password = await page.GetByTestId("home-demo-accounts").GetByTestId("demo-password").First.TextContentAsync() ?? "";

        // 1. Sign in as the admin, with the demo account the home page lists, and land back on it.
        await visitor.ClickThroughAsync(page.GetByTestId("try-sign-in"), "/account/signin");
        await page.GetByLabel("Email").FillAsync(Visitor.Admin);
        await page.GetByLabel("Password").FillAsync(password);
        await visitor.ClickThroughAsync(page.GetByTestId("sign-in"), "/");
        await visitor.ExpectSignedInAsAsync("Ada Admin");
        await Expect(page.GetByTestId("signed-in-served-by")).ToHaveTextAsync("sessions");

        // 2. Add a product from the catalog below the steps: the cart says so, and where it is kept.
        await visitor.ClickThroughAsync(page.GetByTestId("product").Filter(new() { HasText = "Pour-over kettle" }).GetByTestId("add-to-cart"), "/cart");
        await Expect(page.GetByTestId("message")).ToHaveTextAsync("Added Pour-over kettle to your cart.");
        await Expect(page.GetByTestId("cart-source")).ToContainTextAsync("sessions");

        // 3. Flush the object cache from the caches page the steps link to: still signed in, cart intact.
        await visitor.GoToAsync("/");
        await visitor.ClickThroughAsync(page.GetByTestId("try-caches"), "/caches");
        await visitor.ClickThroughAsync(page.GetByTestId("flush-cache"), "/caches/cache/flush");
        await visitor.ClickThroughAsync(page.GetByTestId("confirm-flush"), "/caches");
        await Expect(page.GetByTestId("message")).ToContainTextAsync("You are still signed in, your cart is intact (1 item)");
        await visitor.ExpectSignedInAsAsync("Ada Admin");
        Assert.Equal(["Pour-over kettle"], await visitor.OpenCartAsync());

        // 4. Flush sessions: signed out, and the home page offers to sign in again.
        await visitor.GoToAsync("/caches");
        await visitor.ClickThroughAsync(page.GetByTestId("flush-sessions"), "/caches/sessions/flush");
        await visitor.ClickThroughAsync(page.GetByTestId("confirm-flush"), "/caches");
        await Expect(page.GetByTestId("message")).ToContainTextAsync("everybody was just signed out");
        await visitor.ExpectSignedOutAsync();
        await visitor.GoToAsync("/");
        await Expect(page.GetByTestId("try-sign-in")).ToBeVisibleAsync();
    });
}
