using DualCache.WebApp.Caching;
using Microsoft.Extensions.DependencyInjection;

namespace DualCache.Tests.WebApp;

/// <summary>'dotnet run --project WebApp' with no connection strings, in Development: local memcached processes.</summary>
public sealed class LocalMemcachedSwitchTests
{
    [Fact]
    public async Task One_switch_puts_both_roles_on_one_local_memcached()
    {
        var single = await RolesAsync(singleServer: true);
        var dual = await RolesAsync(singleServer: false);

        Assert.Single(single.Shared);
        Assert.Equal(single.Cache, single.Sessions);
        Assert.Empty(dual.Shared);
        Assert.NotEqual(dual.Cache, dual.Sessions);
    }

    private static async Task<(IReadOnlyList<object> Shared, string Cache, string Sessions)> RolesAsync(bool singleServer)
    {
        using var folder = new DevelopmentFolder();
        await using var factory = folder.App(("DemoAccounts:Password", "local-test"), ("LocalMemcached:SingleServer", singleServer ? "true" : "false"));
        var roles = factory.Services.GetRequiredService<CacheRoles>();
        var stats = await Task.WhenAll(roles.All.Select(client => client.GetStatsAsync()));
        Assert.All(stats.SelectMany(s => s), server => Assert.True(server.IsAvailable));
        return ([.. roles.SharedServers], string.Join(',', roles.All[0].Servers), string.Join(',', roles.All[1].Servers));
    }
}
