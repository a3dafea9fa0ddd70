using DualCache.Memcached;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace DualCache.Tests.Integration;

public sealed class HostingTests(MemcachedServerFixture memcached) : IClassFixture<MemcachedServerFixture>
{
    private static HostApplicationBuilder Builder(params (string Key, string? Value)[] settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, s.Value)));
        return builder;
    }

    [Fact]
    public async Task Each_role_gets_its_own_keyed_client_from_its_connection_string_and_options_section()
    {
        var builder = Builder(
            ("ConnectionStrings:cache", memcached.Server.ConnectionString),
            ("ConnectionStrings:sessions", memcached.Server.ConnectionString),
            ("Memcached:cache:KeyPrefix", "c:"),
            ("Memcached:sessions:KeyPrefix", "s:"));
        builder.AddKeyedMemcachedClient("cache");
        builder.AddKeyedMemcachedClient("sessions");
        using var host = builder.Build();
        await host.StartAsync();

        var cache = host.Services.GetRequiredKeyedService<IMemcachedClient>("cache");
        var sessions = host.Services.GetRequiredKeyedService<IMemcachedClient>("sessions");
        await cache.SetAsync("same-key", "object"u8.ToArray());
        await sessions.SetAsync("same-key", "session"u8.ToArray());

        Assert.Equal(("cache", "sessions"), (cache.Name, sessions.Name));
        Assert.Equal("object"u8.ToArray(), await cache.GetAsync("same-key"));
        Assert.Equal("session"u8.ToArray(), await sessions.GetAsync("same-key"));
        await host.StopAsync();
    }

    [Fact]
    public async Task A_role_registered_with_and_without_a_key_is_one_client_with_one_health_check()
    {
        var builder = Builder(("ConnectionStrings:cache", memcached.Server.ConnectionString));
        builder.AddMemcachedClient("cache");
        builder.AddKeyedMemcachedClient("cache");
        using var host = builder.Build();

        Assert.Same(host.Services.GetRequiredService<IMemcachedClient>(), host.Services.GetRequiredKeyedService<IMemcachedClient>("cache"));
        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.Equal(HealthStatus.Healthy, Assert.Single(report.Entries).Value.Status);
    }

    [Theory]
    [InlineData("localhost:abc", "ConnectionStrings:cache has 'localhost:abc', which is not host:port")]
    [InlineData("", "ConnectionStrings:cache is missing")]
    public async Task A_bad_connection_string_fails_at_startup_naming_the_setting(string connectionString, string expected)
    {
        var builder = Builder(("ConnectionStrings:cache", connectionString));
        builder.AddKeyedMemcachedClient("cache");
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ConnectionsPerServer", "0", "Memcached:sessions:ConnectionsPerServer is 0")]
    [InlineData("KeepAliveInterval", "00:00:00.500", "Memcached:sessions:KeepAliveInterval is 00:00:00.5000000; it must be 00:00:00 (off) or at least 00:00:01")]
    [InlineData("KeepAliveInterval", "-00:01:00", "Memcached:sessions:KeepAliveInterval is -00:01:00")]
    [InlineData("OperationTimeout", "60.00:00:00", "Memcached:sessions:OperationTimeout is 60.00:00:00; it must be positive and at most 1.00:00:00")]
    [InlineData("ConnectTimeout", "00:00:00", "Memcached:sessions:ConnectTimeout is 00:00:00; it must be positive")]
    public async Task A_bad_option_fails_at_startup_naming_its_section(string setting, string value, string expected)
    {
        var builder = Builder(("ConnectionStrings:sessions", "localhost:11211"), ($"Memcached:sessions:{setting}", value));
        builder.AddKeyedMemcachedClient("sessions");
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_password_memcached_would_read_as_two_words_fails_at_startup_naming_it()
    {
        var options = new MemcachedClientOptions { Servers = "localhost:11211", Username = "alice", Password = "pa ss" };

        var error = Assert.Throws<OptionsValidationException>(() => new MemcachedClient("sessions", options));

        Assert.Contains("Memcached:sessions:Password must not contain spaces or control characters.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_distributed_cache_uses_the_named_role()
    {
        var builder = Builder(("ConnectionStrings:sessions", memcached.Server.ConnectionString), ("Memcached:sessions:KeyPrefix", "dc:"));
        builder.AddMemcachedDistributedCache("sessions");
        using var host = builder.Build();

        var cache = host.Services.GetRequiredService<IDistributedCache>();
        await cache.SetAsync("k", [1], new DistributedCacheEntryOptions { SlidingExpiration = TimeSpan.FromMinutes(1) });

        Assert.Equal([1], await cache.GetAsync("k"));
        Assert.Same(cache, host.Services.GetRequiredService<IBufferDistributedCache>());
        Assert.NotNull(await host.Services.GetRequiredKeyedService<IMemcachedClient>("sessions").GetAsync("k"));
    }

    [Fact]
    public async Task The_health_check_reports_each_role_and_its_chosen_failure_status()
    {
        var down = await LocalMemcached.StartAsync();
        var downAddress = down.ConnectionString;
        await down.DisposeAsync();
        var builder = Builder(
            ("ConnectionStrings:cache", downAddress),
            ("Memcached:cache:HealthCheckFailureStatus", "Degraded"),
            ("ConnectionStrings:sessions", memcached.Server.ConnectionString));
        builder.AddKeyedMemcachedClient("cache");
        builder.AddKeyedMemcachedClient("sessions");
        using var host = builder.Build();

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        Assert.Equal(HealthStatus.Degraded, report.Entries["memcached-cache"].Status);
        Assert.Contains(downAddress, report.Entries["memcached-cache"].Description, StringComparison.Ordinal);
        Assert.Equal(HealthStatus.Healthy, report.Entries["memcached-sessions"].Status);
    }
}
