using DualCache.Tests.EndToEnd;

namespace DualCache.Tests.WebApp;

public sealed class HealthEndpointCostTests
{
    [Fact]
    public async Task Many_health_probes_within_the_window_cost_each_server_one_version_round_trip()
    {
        await using var app = await DualCacheApp.StartAsync(settings: new Dictionary<string, string?>
        {
            // Longer than the test takes on a loaded machine; the default is two seconds.
            ["HealthChecks:ResultCacheDuration"] = "00:01:00",
        });
        using var cache = new RoundTrips(app.CacheServer.EndPoint, housekeeping: true);
        using var sessions = new RoundTrips(app.SessionsServer.EndPoint, housekeeping: true);

        var probes = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => app.HealthAsync()));
        for (var probe = 0; probe < 20; probe++)
        {
            probes = [.. probes, await app.HealthAsync()];
        }

        Assert.All(probes, probe => Assert.Equal((200, "Healthy"), probe));
        Assert.Single(cache.Operations, operation => operation == "version");
        Assert.Single(sessions.Operations, operation => operation == "version");
    }

    [Fact]
    public async Task Many_views_of_the_sign_in_page_within_the_window_cost_the_session_store_one_version_round_trip()
    {
        // The page says up front when no session server answers; it is public, so asking must not cost a round trip a view.
        await using var app = await DualCacheApp.StartAsync(settings: new Dictionary<string, string?>
        {
            ["HealthChecks:ResultCacheDuration"] = "00:01:00",
        });
        using var sessions = new RoundTrips(app.SessionsServer.EndPoint, housekeeping: true);
        using var client = new HttpClient { BaseAddress = app.BaseAddress };

        for (var view = 0; view < 20; view++)
        {
            using var response = await client.GetAsync(new Uri("/account/signin", UriKind.Relative));
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            Assert.DoesNotContain("session-store-down", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Single(sessions.Operations, operation => operation == "version");
    }

    [Fact]
    public async Task The_liveness_probe_never_reaches_memcached()
    {
        await using var app = await DualCacheApp.StartAsync();
        using var cache = new RoundTrips(app.CacheServer.EndPoint, housekeeping: true);
        using var client = new HttpClient { BaseAddress = app.BaseAddress };

        for (var probe = 0; probe < 20; probe++)
        {
            using var response = await client.GetAsync(new Uri("/alive", UriKind.Relative));
            Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
        }

        Assert.DoesNotContain("version", cache.Operations);
    }
}
