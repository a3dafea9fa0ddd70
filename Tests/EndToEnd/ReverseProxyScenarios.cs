namespace DualCache.Tests.EndToEnd;

/// <summary>
/// Behind a reverse proxy that terminates TLS: the tests' client, on 127.0.0.1, plays the proxy, adding the
/// X-Forwarded-* headers a proxy adds.
/// </summary>
public sealed class ReverseProxyScenarios
{
    private const string Loopback = "127.0.0.1";

    // A documentation address (RFC 5737): configured as the proxy, but not where the requests come from.
    private const string SomeOtherProxy = "192.0.2.1";

    [Theory]
    [InlineData(Loopback, true)]
    [InlineData(SomeOtherProxy, false)]
    public async Task Https_forwarded_by_a_configured_proxy_makes_the_cookies_secure(string knownProxy, bool secure)
    {
        await using var app = await DualCacheApp.StartAsync(settings: Proxy(knownProxy));
        using var visitor = new HttpVisitor(app.BaseAddress, new Dictionary<string, string> { ["X-Forwarded-Proto"] = "https" });

        await visitor.GetAsync("/account/signin");

        var antiforgery = Assert.Single(visitor.SetCookies, cookie => cookie.StartsWith(".AspNetCore.Antiforgery.", StringComparison.Ordinal));
        Assert.Equal(secure, antiforgery.Contains("; secure", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Outside_development_https_forwarded_by_a_configured_proxy_is_not_redirected_to_https_again()
    {
        var settings = Proxy(Loopback);
        settings["https_port"] = "443";
        await using var app = await DualCacheApp.StartAsync(environment: "Production", settings: settings, https: false);
        using var direct = new HttpVisitor(app.BaseAddress);
        using var proxied = new HttpVisitor(app.BaseAddress, new Dictionary<string, string> { ["X-Forwarded-Proto"] = "https" });

        using var redirected = await direct.GetResponseAsync("/account/signin");
        using var served = await proxied.GetResponseAsync("/account/signin");

        // The control: plain HTTP is sent to HTTPS, which is what a proxy that is not believed would get, forever.
        Assert.Equal(307, (int)redirected.StatusCode);
        Assert.Equal("https", redirected.Headers.Location?.Scheme);
        Assert.Equal(200, (int)served.StatusCode);
    }

    [Theory]
    [InlineData(Loopback, 200)]
    [InlineData(SomeOtherProxy, 429)]
    public async Task Sign_in_attempts_are_limited_per_client_address_forwarded_by_a_configured_proxy(string knownProxy, int otherClientsAttempt)
    {
        await using var app = await DualCacheApp.StartAsync(signInAttemptsPerWindow: 2, settings: Proxy(knownProxy));
        using var guesser = new HttpVisitor(app.BaseAddress, new Dictionary<string, string> { ["X-Forwarded-For"] = "203.0.113.10" });
        using var otherClient = new HttpVisitor(app.BaseAddress, new Dictionary<string, string> { ["X-Forwarded-For"] = "203.0.113.20" });

        var guesses = new List<int>();
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            guesses.Add(await guesser.TrySignInAsync(Visitor.Admin, "guess-" + attempt));
        }

        Assert.Equal([200, 200, 429], guesses);
        Assert.Equal(otherClientsAttempt, await otherClient.TrySignInAsync(Visitor.Customer, "a-typo"));
    }

    [Fact]
    public async Task A_proxy_setting_that_is_not_an_address_stops_the_start_and_names_the_setting()
    {
        var settings = Proxy("proxy.internal");
        settings["ReverseProxy:KnownNetworks:0"] = "10.0.0.0/33";

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => DualCacheApp.StartAsync(settings: settings));

        Assert.Contains("ReverseProxy:KnownProxies has 'proxy.internal', which is not an IP address.", failure.Message, StringComparison.Ordinal);
        Assert.Contains("ReverseProxy:KnownNetworks has '10.0.0.0/33'", failure.Message, StringComparison.Ordinal);
    }

    private static Dictionary<string, string?> Proxy(string address) => new() { ["ReverseProxy:KnownProxies:0"] = address };
}
