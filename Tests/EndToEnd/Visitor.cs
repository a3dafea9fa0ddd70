using System.Globalization;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DualCache.Tests.EndToEnd;

/// <summary>A person at the browser: the steps of the scenarios, in the words of the pages.</summary>
public sealed class Visitor(IPage page)
{
    public const string Admin = "admin@dualcache.test";
    public const string Customer = "user@dualcache.test";

    public IPage Page => page;

    public async Task<IResponse> GoToAsync(string path) =>
        await page.GotoAsync(path) ?? throw new InvalidOperationException($"No response for {path}.");

    public async Task SignInAsync(string email, string password = DualCacheApp.DemoPassword)
    {
        await GoToAsync("/account/signin");
        await SubmitSignInAsync(email, password);
        await Expect(page.GetByTestId("signed-in-user")).ToBeVisibleAsync();
    }

    /// <summary>Fills in and sends the sign-in form; the response to the POST.</summary>
    public async Task<IResponse> SubmitSignInAsync(string email, string password)
    {
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        return await page.RunAndWaitForResponseAsync(
            () => page.GetByTestId("sign-in").ClickAsync(),
            response => response.Request.Method == "POST" && response.Url.Contains("/account/signin", StringComparison.Ordinal));
    }

    public async Task ExpectSignedInAsAsync(string displayName) =>
        await Expect(page.GetByTestId("signed-in-user")).ToHaveTextAsync(displayName);

    public async Task ExpectSignedOutAsync()
    {
        await Expect(page.GetByTestId("sign-in-link")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("signed-in-user")).ToHaveCountAsync(0);
    }

    /// <summary>Opens the catalog and reads what the page says about where its products came from.</summary>
    public async Task<CatalogView> OpenCatalogAsync()
    {
        var response = await GoToAsync("/catalog");
        var source = page.GetByTestId("read-source");
        return new CatalogView(
            response.Status,
            await source.GetAttributeAsync("data-source") ?? "",
            long.Parse(await source.GetAttributeAsync("data-queries") ?? "-1", CultureInfo.InvariantCulture),
            await page.GetByTestId("cache-unavailable").IsVisibleAsync(),
            await page.GetByTestId("product").CountAsync());
    }

    public async Task AddToCartAsync(string productName)
    {
        await GoToAsync("/catalog");
        await page.GetByTestId("product").Filter(new() { HasText = productName }).GetByTestId("add-to-cart").ClickAsync();
        await page.WaitForURLAsync("**/cart");
    }

    /// <summary>The names of the products in the cart, as the cart page lists them.</summary>
    public async Task<IReadOnlyList<string>> OpenCartAsync()
    {
        await GoToAsync("/cart");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Cart" })).ToBeVisibleAsync();
        return await page.GetByTestId("cart-line-name").AllTextContentsAsync();
    }

    /// <summary>Flushes a role the way an admin does: the button on the caches page, then the confirmation.</summary>
    public async Task FlushAsync(string role)
    {
        await GoToAsync("/caches");
        await page.GetByTestId($"flush-{role}").ClickAsync();
        await page.WaitForURLAsync($"**/caches/{role}/flush");
        await page.GetByTestId("confirm-flush").ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.Load);
    }

    /// <summary>An antiforgery token of the current page, as its forms carry it.</summary>
    public async Task<string> AntiforgeryTokenAsync() =>
        await page.Locator("input[name=__RequestVerificationToken]").First.GetAttributeAsync("value")
            ?? throw new InvalidOperationException("The page has no antiforgery token.");

    /// <summary>Signs out with the button in the page header.</summary>
    public async Task SignOutAsync()
    {
        await GoToAsync("/catalog");
        await page.GetByTestId("sign-out").ClickAsync();
        await Expect(page.GetByTestId("sign-in-link")).ToBeVisibleAsync();
    }

    /// <summary>Sends the add-to-cart form of a product with this browser's cookies, without following the redirect: what a second tab does.</summary>
    public async Task<int> PostAddToCartAsync(int productId, string antiforgeryToken)
    {
        var form = page.APIRequest.CreateFormData();
        form.Set("productId", productId.ToString(CultureInfo.InvariantCulture));
        form.Set("__RequestVerificationToken", antiforgeryToken);
        var response = await page.APIRequest.PostAsync("/cart/add", new() { Form = form, MaxRedirects = 0 });
        return response.Status;
    }

    /// <summary>The ids of the products the catalog offers, in its order.</summary>
    public async Task<IReadOnlyList<int>> CatalogProductIdsAsync()
    {
        await GoToAsync("/catalog");
        var ids = await page.Locator("[data-testid=product] input[name=productId]").EvaluateAllAsync<string[]>("inputs => inputs.map(i => i.value)");
        return [.. ids.Select(id => int.Parse(id, CultureInfo.InvariantCulture))];
    }
}

/// <param name="Source">"cache" or "database", as the page shows it.</param>
/// <param name="DatabaseQueries">The app's database queries since it started, as the page shows them.</param>
/// <param name="CacheUnavailableNotice">The page says the object cache cannot be reached.</param>
public sealed record CatalogView(int Status, string Source, long DatabaseQueries, bool CacheUnavailableNotice, int Products);
