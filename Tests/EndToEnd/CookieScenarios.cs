namespace DualCache.Tests.EndToEnd;

public sealed class CookieScenarios
{
    [Fact]
    public async Task Outside_development_every_cookie_is_secure_http_only_and_same_site()
    {
        await using var app = await DualCacheApp.StartAsync(environment: "Production");
        var (email, password) = await app.AddAccountAsync();
        using var visitor = new HttpVisitor(app.BaseAddress);

        await visitor.SignInAsync(email, password);
        Assert.Equal(302, await visitor.AddToCartAsync(1));
        var (_, cart) = await visitor.GetAsync("/cart");
        Assert.Equal(302, await visitor.SignOutAsync(cart));

        var cookies = visitor.SetCookies;
        Assert.Contains(cookies, cookie => cookie.StartsWith(".AspNetCore.Antiforgery.", StringComparison.Ordinal));
        Assert.Contains(cookies, cookie => cookie.StartsWith("dualcache.auth=", StringComparison.Ordinal));
        Assert.All(cookies, cookie =>
        {
            var attributes = cookie.Split(';', StringSplitOptions.TrimEntries).Skip(1).Select(attribute => attribute.ToLowerInvariant()).ToList();
            Assert.Contains("secure", attributes);
            Assert.Contains("httponly", attributes);
            Assert.Contains(attributes, attribute => attribute is "samesite=lax" or "samesite=strict");
        });
    }

    [Fact]
    public async Task A_page_view_sets_no_cookie_and_a_message_cookie_is_read_once()
    {
        await using var app = await DualCacheApp.StartAsync();
        using var visitor = new HttpVisitor(app.BaseAddress);

        Assert.Equal(200, (await visitor.GetAsync("/catalog")).Status);
        Assert.Empty(visitor.SetCookies);

        await visitor.SignInAsync(Visitor.Customer);
        var before = visitor.SetCookies.Count;
        Assert.Equal(200, (await visitor.GetAsync("/catalog")).Status);
        Assert.Equal(before, visitor.SetCookies.Count);

        // A cart change redirects with its message in the TempData cookie: the next page shows it and deletes the cookie.
        Assert.Equal(302, await visitor.AddToCartAsync(1));
        var (_, cart) = await visitor.GetAsync("/cart");
        Assert.Contains("data-testid=\"message\"", cart, StringComparison.Ordinal);
        Assert.StartsWith(".AspNetCore.Mvc.CookieTempDataProvider=;", visitor.SetCookies[^1], StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"message\"", (await visitor.GetAsync("/cart")).Html, StringComparison.Ordinal);
    }
}
