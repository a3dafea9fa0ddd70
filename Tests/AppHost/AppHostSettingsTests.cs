extern alias AppHost;

using Aspire.Hosting;
using AppHost::DualCache.AppHost;
using AppHost::DualCache.AppHost.Memcached;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;

namespace DualCache.Tests.AppHost;

/// <summary>How <c>dotnet run --project AppHost</c> decides between containers and memcached processes.</summary>
public sealed class AppHostSettingsTests
{
    [Fact]
    public void Without_a_container_runtime_memcached_runs_as_processes()
    {
        var settings = DualCacheSettings.Read(Configuration(("ASPIRE_CONTAINER_RUNTIME", "no-such-container-runtime")));

        Assert.Equal(MemcachedMode.Executable, settings.Mode);
        Assert.Contains("'no-such-container-runtime' is not installed", settings.ModeReason, StringComparison.Ordinal);
    }

    [Fact]
    public void With_a_container_runtime_that_answers_memcached_runs_in_containers()
    {
        ContainerEngine.EnsureRunning();

        var settings = DualCacheSettings.Read(Configuration(("DualCache:MemcachedImage", ContainerEngine.MemcachedImage)));

        Assert.Equal(MemcachedMode.Container, settings.Mode);
        Assert.StartsWith("a container runtime answered", settings.ModeReason, StringComparison.Ordinal);
    }

    [Fact]
    public void With_a_container_runtime_but_no_image_memcached_runs_as_processes()
    {
        ContainerEngine.EnsureRunning();

        var settings = DualCacheSettings.Read(Configuration(("DualCache:MemcachedImage", "localhost/dualcache-no-such-image:0")));

        Assert.Equal(MemcachedMode.Executable, settings.Mode);
        Assert.Contains("localhost/dualcache-no-such-image:0 is not present and could not be pulled", settings.ModeReason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_setting_forces_either_mode()
    {
        var forced = DualCacheSettings.Read(Configuration(("ASPIRE_CONTAINER_RUNTIME", "no-such-container-runtime"), ("DualCache:MemcachedMode", "Container")));

        Assert.Equal(MemcachedMode.Container, forced.Mode);
        Assert.Equal(MemcachedMode.Executable, DualCacheSettings.Read(Configuration(("DualCache:MemcachedMode", "executable"))).Mode);
    }

    [Fact]
    public void The_defaults_are_the_official_image_and_a_persistent_sessions_container()
    {
        var settings = DualCacheSettings.Read(Configuration(("DualCache:MemcachedMode", "Executable")));

        Assert.Equal("docker.io/library/memcached:1.6", settings.Image.ToString());
        Assert.Equal(ContainerLifetime.Persistent, settings.SessionsLifetime);
        Assert.Null(settings.SessionsContainerName);
    }

    [Theory]
    [InlineData("DualCache:MemcachedMode", "Kubernetes")]
    [InlineData("DualCache:SessionsLifetime", "Forever")]
    [InlineData("DualCache:MemcachedImage", "memcached 1.6")]
    public void A_bad_setting_stops_the_AppHost_naming_it(string key, string value)
    {
        var error = Assert.Throws<DistributedApplicationException>(() => DualCacheSettings.Read(Configuration(("DualCache:MemcachedMode", "Executable"), (key, value))));

        Assert.StartsWith($"{key} has '{value}'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("memcached", null, "memcached", "latest")]
    [InlineData("memcached:1.6", null, "memcached", "1.6")]
    [InlineData("docker.io/library/memcached:1.6", "docker.io", "library/memcached", "1.6")]
    [InlineData("localhost/dualcache-memcached:1.6", "localhost", "dualcache-memcached", "1.6")]
    [InlineData("registry.example:5000/team/memcached", "registry.example:5000", "team/memcached", "latest")]
    [InlineData("team/memcached:1.6.18", null, "team/memcached", "1.6.18")]
    public void An_image_reference_splits_as_the_container_runtimes_read_it(string reference, string? registry, string image, string tag)
    {
        Assert.True(MemcachedContainerImage.TryParse(reference, out var parsed));
        Assert.Equal(new MemcachedContainerImage(registry, image, tag), parsed);
    }

    /// <summary>The settings in order; a later one wins, as in the AppHost's layered configuration.</summary>
    private static IConfiguration Configuration(params (string Key, string? Value)[] settings)
    {
        var builder = new ConfigurationBuilder();
        foreach (var (key, value) in settings)
        {
            builder.AddInMemoryCollection([KeyValuePair.Create(key, value)]);
        }

        return builder.Build();
    }
}
