namespace DualCache.Tests.AppHost;

/// <summary>The same promise on a machine without a container engine: the AppHost runs memcached from PATH.</summary>
[Collection(ExecutableAppHostScenarios.Name)]
public sealed class ExecutableModeScenarios(ExecutableAppHostFixture fixture)
{
    [Fact]
    public Task Flushing_the_object_cache_keeps_the_user_signed_in_with_memcached_processes() =>
        MissionScenarios.FlushTheObjectCacheAndStaySignedInAsync(fixture);
}
