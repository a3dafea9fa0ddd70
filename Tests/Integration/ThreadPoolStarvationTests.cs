using DualCache.Memcached;
using DualCache.Tests.WebApp;
using Microsoft.Extensions.Caching.Distributed;

namespace DualCache.Tests.Integration;

/// <summary>
/// Callers that block thread-pool threads, as <see cref="IDistributedCache"/>'s synchronous methods do, hold up the
/// writes a connection leaves to the pool. Alone in the process: it takes the pool from every other test while it runs.
/// </summary>
[Collection(AloneInProcess.Name)]
public sealed class ThreadPoolStarvationTests
{
    [Fact]
    public async Task Callers_blocking_the_thread_pool_wait_for_a_healthy_server_instead_of_timing_it_out()
    {
        await using var server = await LocalMemcached.StartAsync();
        await using var client = new MemcachedClient("sessions", new MemcachedClientOptions { Servers = server.ConnectionString, ConnectionsPerServer = 1, OperationTimeout = TimeSpan.FromSeconds(1) });
        var cache = new MemcachedDistributedCache(client);
        await cache.SetAsync("session", [1, 2, 3], new DistributedCacheEntryOptions { SlidingExpiration = TimeSpan.FromMinutes(5) });

        // 16 callers on a pool that starts with a thread per core, each blocked until its answer arrives: the pool
        // grows by a thread at a time. A request's time limit is for the server's answer, so it starts when the
        // request is written, not while it waits for a thread to write it.
        var failures = 0;
        var answers = 0;
        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() =>
        {
            for (var read = 0; read < 5; read++)
            {
                try
                {
                    Assert.Equal([1, 2, 3], cache.Get("session"));
                    Interlocked.Increment(ref answers);
                }
                catch (MemcachedException)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        })));

        Assert.Equal((80, 0), (answers, failures));
    }
}
