using DualCache.Memcached;
using DualCache.WebApp.Caching;

namespace DualCache.Tests.WebApp;

/// <summary>Whether the two roles share a server, however its address is written.</summary>
public sealed class CacheRolesTests
{
    [Fact]
    public void Localhost_and_its_loopback_address_on_the_same_port_are_one_server()
    {
        MemcachedEndPoint cache = new("localhost", 11211);

        Assert.Equal([cache], CacheRoles.Shared([cache], [new("127.0.0.1", 11211)]));
    }

    [Fact]
    public void The_same_host_on_another_port_is_another_server()
    {
        Assert.Empty(CacheRoles.Shared([new("localhost", 11211)], [new("127.0.0.1", 11212)]));
    }

    [Fact]
    public void A_host_that_does_not_resolve_is_compared_as_written()
    {
        MemcachedEndPoint cache = new("memcached.invalid", 11211);

        Assert.Equal([cache], CacheRoles.Shared([cache, new("127.0.0.1", 11211)], [new("MEMCACHED.invalid", 11211)]));
    }
}
