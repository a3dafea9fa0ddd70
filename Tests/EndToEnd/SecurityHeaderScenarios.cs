using Microsoft.Playwright;

namespace DualCache.Tests.EndToEnd;

[Collection(BrowserScenarios.Name)]
public sealed class SecurityHeaderScenarios(BrowserFixture fixture)
{
    private const string ContentSecurityPolicy =
        "default-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    [Theory]
    [InlineData("/")]
    [InlineData("/catalog")]
    [InlineData("/account/signin")]
    [InlineData("/no-such-page")]
    [InlineData("/css/site.css")]
    public async Task Every_response_carries_the_security_headers(string path)
    {
        using var visitor = new HttpVisitor(fixture.App.BaseAddress);

        using var response = await visitor.GetResponseAsync(path);

        AssertSecurityHeaders(response);
    }

    [Fact]
    public async Task Outside_development_the_not_found_and_sign_in_unavailable_pages_carry_the_security_headers_too()
    {
        await using var app = await DualCacheApp.StartAsync(environment: "Production");
        var (email, password) = await app.AddAccountAsync();
        using var visitor = new HttpVisitor(app.BaseAddress);
        await visitor.SignInAsync(email, password);

        using (var notFound = await visitor.GetResponseAsync("/no-such-page"))
        {
            Assert.Equal(404, (int)notFound.StatusCode);
            AssertSecurityHeaders(notFound);
        }

        app.SessionsServer.Kill();
        using var unavailable = await visitor.GetResponseAsync("/catalog");

        Assert.Equal(503, (int)unavailable.StatusCode);
        Assert.Contains("data-testid=\"sign-in-unavailable\"", await unavailable.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        AssertSecurityHeaders(unavailable);
    }

    [Fact]
    public Task The_pages_break_no_rule_of_their_content_security_policy() => Scenario.RunAsync(fixture.Browser, fixture.App, async visitor =>
    {
        var violations = new List<string>();
        visitor.Page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal) || message.Text.Contains("Permissions-Policy", StringComparison.Ordinal))
            {
                violations.Add(message.Text);
            }
        };

        var home = await visitor.GoToAsync("/");
        Assert.Equal(ContentSecurityPolicy, await home.HeaderValueAsync("content-security-policy"));
        await visitor.SignInAsync(Visitor.Admin);
        await visitor.AddToCartAsync("Desk lamp");
        await visitor.OpenCartAsync();
        await visitor.GoToAsync("/catalog/1");
        await visitor.GoToAsync("/caches");
        await visitor.GoToAsync("/no-such-page");
        Assert.Empty(violations);

        // The control: an inline style, which the policy forbids, is reported in the console this test reads.
        await visitor.Page.EvaluateAsync("() => document.head.appendChild(Object.assign(document.createElement('style'), { textContent: 'body { color: red }' }))");
        await Scenario.EventuallyAsync(() => Task.FromResult(violations.Count), count => count > 0, TimeSpan.FromSeconds(5));
    });

    private static void AssertSecurityHeaders(HttpResponseMessage response)
    {
        Assert.Equal(ContentSecurityPolicy, Header(response, "Content-Security-Policy"));
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
        Assert.Contains("camera=()", Header(response, "Permissions-Policy"), StringComparison.Ordinal);
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values) : "";
}
