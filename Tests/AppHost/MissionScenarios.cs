extern alias AppHost;

using System.Runtime.CompilerServices;
using Aspire.Hosting.ApplicationModel;
using AppHost::DualCache.AppHost.Memcached;
using DualCache.Tests.EndToEnd;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DualCache.Tests.AppHost;

/// <summary>
/// DualCache's promise, shown through the real AppHost: the object cache and the session store are separate memcached
/// servers, so flushing the object cache from the dashboard never signs anybody out. Start here.
/// </summary>
[Collection(ContainerAppHostScenarios.Name)]
public sealed class MissionScenarios(ContainerAppHostFixture fixture)
{
    [Fact]
    public Task Flushing_the_object_cache_keeps_the_user_signed_in() => FlushTheObjectCacheAndStaySignedInAsync(fixture);

    [Fact]
    public Task Flushing_the_session_store_signs_the_user_out() => fixture.RunAsync(async visitor =>
    {
        await visitor.SignInAsync(Visitor.Customer);
        await visitor.AddToCartAsync("Fountain pen");

        var flush = await fixture.AppHost.ExecuteCommandAsync("sessions", MemcachedCommands.FlushName);
        Assert.True(flush.Success, flush.Message);

        await visitor.GoToAsync("/catalog");
        await visitor.ExpectSignedOutAsync();
        await visitor.SignInAsync(Visitor.Customer);
        Assert.Empty(await visitor.OpenCartAsync());
    });

    [Fact]
    public async Task Show_stats_returns_the_servers_report_for_the_dashboard()
    {
        var stats = await fixture.AppHost.ExecuteCommandAsync("cache", MemcachedCommands.ShowStatsName);

        Assert.True(stats.Success, stats.Message);
        Assert.NotNull(stats.Data);
        Assert.Equal(CommandResultFormat.Markdown, stats.Data.Format);
        Assert.Contains("memcached 'cache'", stats.Data.Value, StringComparison.Ordinal);
        Assert.Contains("hit ratio", stats.Data.Value, StringComparison.Ordinal);
    }

    [Fact]
    public Task A_stopped_object_cache_leaves_the_web_app_degraded_but_serving() => fixture.RunAsync(async visitor =>
    {
        var appHost = fixture.AppHost;
        await visitor.SignInAsync(Visitor.Customer);

        var stop = await appHost.ExecuteCommandAsync("cache", KnownResourceCommands.StopCommand);
        Assert.True(stop.Success, stop.Message);
        try
        {
            await appHost.WaitForHealthAsync("cache", s => s.HealthStatus != HealthStatus.Healthy, TimeSpan.FromMinutes(1));
            var flush = await appHost.ExecuteCommandAsync("cache", MemcachedCommands.FlushName);
            Assert.False(flush.Success, "Flush ran on a stopped server.");

            var catalog = await Scenario.EventuallyAsync(visitor.OpenCatalogAsync, c => c.CacheUnavailableNotice, TimeSpan.FromSeconds(30));
            Assert.Equal((200, "database"), (catalog.Status, catalog.Source));
            await visitor.ExpectSignedInAsAsync("Uma User");
            // Within a few seconds, not at once: /health answers from each check's last result for
            // HealthChecks:ResultCacheDuration (2 s), and the AppHost's own probe may have found the cache up just before.
            await Scenario.EventuallyAsync(() => HealthAsync(appHost.WebApp), h => h == (200, "Degraded"), TimeSpan.FromSeconds(30));
            // ...and the dashboard says so on the webapp resource.
            await appHost.WaitForHealthAsync("webapp", s => s.HealthStatus == HealthStatus.Degraded, TimeSpan.FromMinutes(1));
        }
        finally
        {
            var start = await appHost.ExecuteCommandAsync("cache", KnownResourceCommands.StartCommand);
            Assert.True(start.Success, start.Message);
        }

        await appHost.WaitForHealthAsync("cache", s => s.HealthStatus == HealthStatus.Healthy, TimeSpan.FromMinutes(1));
        await Scenario.EventuallyAsync(() => HealthAsync(appHost.WebApp), h => h == (200, "Healthy"), TimeSpan.FromSeconds(30));
        await appHost.WaitForHealthAsync("webapp", s => s.HealthStatus == HealthStatus.Healthy, TimeSpan.FromMinutes(1));
        var recovered = await Scenario.EventuallyAsync(visitor.OpenCatalogAsync, c => !c.CacheUnavailableNotice, TimeSpan.FromSeconds(30));
        Assert.Equal(200, recovered.Status);
    });

    /// <summary>The scenario itself, also run with memcached as processes (<see cref="ExecutableModeScenarios"/>).</summary>
    internal static Task FlushTheObjectCacheAndStaySignedInAsync(AppHostFixture fixture, [CallerMemberName] string name = "") => fixture.RunAsync(async visitor =>
    {
        await visitor.SignInAsync(Visitor.Customer);
        await visitor.AddToCartAsync("Burr grinder");
        await visitor.OpenCatalogAsync();
        var cached = await visitor.OpenCatalogAsync();
        Assert.Equal("cache", cached.Source);

        // The same command as the Flush button on the 'cache' resource in the dashboard.
        var flush = await fixture.AppHost.ExecuteCommandAsync("cache", MemcachedCommands.FlushName);
        Assert.True(flush.Success, flush.Message);

        var afterFlush = await visitor.OpenCatalogAsync();
        Assert.Equal(("database", cached.DatabaseQueries + 1), (afterFlush.Source, afterFlush.DatabaseQueries));
        await visitor.ExpectSignedInAsAsync("Uma User");
        Assert.Equal(["Burr grinder"], await visitor.OpenCartAsync());
        var next = await visitor.OpenCatalogAsync();
        Assert.Equal(("cache", afterFlush.DatabaseQueries), (next.Source, next.DatabaseQueries));
    }, name);

    private static async Task<(int Status, string Body)> HealthAsync(Uri webApp)
    {
        using var client = new HttpClient { BaseAddress = webApp };
        using var response = await client.GetAsync(new Uri("/health", UriKind.Relative));
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
