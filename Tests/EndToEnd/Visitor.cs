using System.Globalization;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DualCache.Tests.EndToEnd;

/// <summary>A person at the browser: the steps of the scenarios, in the words of the pages.</summary>
public sealed class Visitor(IPage page)
{
    public const string Admin = "admin@dualcache.test";
    public const string Customer = "user@dualcache.test";

    /// <summary>How long a step waits for a page, as <see cref="Scenario"/> sets for Playwright's own waits.</summary>
    public static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(15);

    public IPage Page => page;

    public async Task<IResponse> GoToAsync(string path)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await page.GotoAsync(path) ?? throw new InvalidOperationException($"No response for {path}.");
            }
            catch (PlaywrightException exception) when (attempt < 3 && exception.Message.Contains("ERR_NETWORK_CHANGED", StringComparison.Ordinal))
            {
                // Chromium drops a navigation when the machine's network interfaces change: the AppHost scenarios'
                // container engine adds and removes them while browser scenarios run. The page itself was not at fault.
            }
        }
    }

    public async Task SignInAsync(string email, string password = DualCacheApp.DemoPassword)
    {
        await GoToAsync("/account/signin");
        await SubmitSignInAsync(email, password);
        await Expect(page.GetByTestId("signed-in-user")).ToBeVisibleAsync();
    }

    /// <summary>Fills in and sends the sign-in form; the response to the POST, once the page it leads to has loaded.</summary>
    public async Task<IResponse> SubmitSignInAsync(string email, string password)
    {
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        var post = page.WaitForResponseAsync(
            response => response.Request.Method == "POST" && response.Url.Contains("/account/signin", StringComparison.Ordinal));
        await ClickToPageAsync(page.GetByTestId("sign-in"));
        return await post;
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
        await ClickThroughAsync(page.GetByTestId("product").Filter(new() { HasText = productName }).GetByTestId("add-to-cart"), "/cart");
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
        await ClickThroughAsync(page.GetByTestId($"flush-{role}"), $"/caches/{role}/flush");

        // Where the flush leads depends on the role: a flushed session store signs the admin out of the caches page.
        await ClickThroughAsync(page.GetByTestId("confirm-flush"), expectedPath: null);
    }

    /// <summary>Clicks a link or a form's button and fails unless the page it leads to is <paramref name="expectedPath"/> (any page when null) and not an error.</summary>
    public async Task ClickThroughAsync(ILocator target, string? expectedPath)
    {
        var response = await ClickToPageAsync(target);
        var path = new Uri(page.Url).AbsolutePath;
        if (!response.Ok || (expectedPath is not null && path != expectedPath))
        {
            Assert.Fail($"Clicking {target} was to open {expectedPath ?? "a page"}, but {path} answered {response.Status} {response.StatusText}.");
        }
    }

    /// <summary>
    /// Clicks and waits until the page it leads to (after any redirect) has replaced the current one and loaded; returns
    /// that page's response. Waiting for a URL or a load state after the click is racy: the current page is loaded
    /// already and may have the same URL (a form shown again), and Playwright's own load-state wait can miss a load
    /// event that arrives while it starts, then wait for one that never comes (seen as a 15 s timeout after
    /// "NetworkIdle event fired"). So every wait here is armed before the click, and the page's own events are followed
    /// in the order Playwright delivers them: the main frame navigates, then its new document loads.
    /// </summary>
    private async Task<IResponse> ClickToPageAsync(ILocator target)
    {
        var navigated = 0;
        var loaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnNavigated(object? sender, IFrame frame)
        {
            if (frame == page.MainFrame)
            {
                Volatile.Write(ref navigated, 1);
            }
        }

        void OnLoad(object? sender, IPage loadedPage)
        {
            if (Volatile.Read(ref navigated) == 1)
            {
                loaded.TrySetResult();
            }
        }

        page.FrameNavigated += OnNavigated;
        page.Load += OnLoad;
        try
        {
            var response = await page.RunAndWaitForResponseAsync(
                () => target.ClickAsync(),
                response => response.Request.IsNavigationRequest && response.Request.Frame == page.MainFrame && response.Status is < 300 or >= 400);
            await loaded.Task.WaitAsync(StepTimeout);
            return response;
        }
        finally
        {
            page.FrameNavigated -= OnNavigated;
            page.Load -= OnLoad;
        }
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
        var ids = await page.Locator("[data-testid=product] button[name=productId]").EvaluateAllAsync<string[]>("inputs => inputs.map(i => i.value)");
        return [.. ids.Select(id => int.Parse(id, CultureInfo.InvariantCulture))];
    }
}

/// <param name="Source">"cache" or "database", as the page shows it.</param>
/// <param name="DatabaseQueries">The app's database queries since it started, as the page shows them.</param>
/// <param name="CacheUnavailableNotice">The page says the object cache cannot be reached.</param>
public sealed record CatalogView(int Status, string Source, long DatabaseQueries, bool CacheUnavailableNotice, int Products);
