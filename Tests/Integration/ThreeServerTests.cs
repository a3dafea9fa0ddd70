using DualCache.Memcached;

namespace DualCache.Tests.Integration;

/// <summary>Tests over three real memcached processes, started before each test and stopped after it.</summary>
public abstract class ThreeServerTests : IAsyncLifetime
{
    private readonly List<LocalMemcached> _servers = [];

    protected IReadOnlyList<LocalMemcached> Servers => _servers;

    public async Task InitializeAsync()
    {
        for (var i = 0; i < 3; i++)
        {
            _servers.Add(await LocalMemcached.StartAsync());
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }
    }
}
