using DualCache.Memcached;

namespace DualCache.Tests.Integration;

/// <summary>One real memcached process for a test class, on a free loopback port.</summary>
public sealed class MemcachedServerFixture : IAsyncLifetime
{
    private LocalMemcached? _server;

    public LocalMemcached Server => _server ?? throw new InvalidOperationException("The fixture has not started.");

    public async Task InitializeAsync() => _server = await LocalMemcached.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    public MemcachedClient CreateClient(Action<MemcachedClientOptions>? configure = null, string name = "cache")
    {
        // These tests are about answers, not latency: a cold, loaded CI machine must not turn a slow first answer into a failure.
        var options = new MemcachedClientOptions { Servers = Server.ConnectionString, KeyPrefix = $"{Guid.NewGuid():N}:", OperationTimeout = TimeSpan.FromSeconds(10) };
        configure?.Invoke(options);
        return new MemcachedClient(name, options);
    }
}
