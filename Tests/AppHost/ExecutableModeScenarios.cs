extern alias AppHost;

using AppHost::DualCache.AppHost.Memcached;
using DualCache.Tests.EndToEnd;

namespace DualCache.Tests.AppHost;

/// <summary>The same promise on a machine without a container engine: the AppHost runs memcached from PATH.</summary>
[Collection(ExecutableAppHostScenarios.Name)]
public sealed class ExecutableModeScenarios(ExecutableAppHostFixture fixture)
{
    [Fact]
    public Task Flushing_the_object_cache_keeps_the_user_signed_in_with_memcached_processes() => fixture.RunAsync(async visitor =>
    {
        await visitor.SignInAsync(Visitor.Customer);
        await visitor.AddToCartAsync("Burr grinder");
        var cached = await visitor.OpenCatalogAsync();

        var flush = await fixture.AppHost.ExecuteCommandAsync("cache", MemcachedCommands.FlushName);
        Assert.True(flush.Success, flush.Message);

        var afterFlush = await visitor.OpenCatalogAsync();
        Assert.Equal(("database", cached.DatabaseQueries + 1), (afterFlush.Source, afterFlush.DatabaseQueries));
        await visitor.ExpectSignedInAsAsync("Uma User");
        Assert.Equal(["Burr grinder"], await visitor.OpenCartAsync());
    });
}
