using System.Text;
using DualCache.Memcached;

namespace DualCache.Tests.Integration;

public sealed class MultiServerTests : ThreeServerTests
{
    private MemcachedClient Client(bool eject = false) => new("cache", new MemcachedClientOptions
    {
        Servers = string.Join(",", Servers.Select(s => s.ConnectionString)),
        EjectDeadServers = eject,
        OperationTimeout = TimeSpan.FromSeconds(10),
        DeadServerRetryInitial = TimeSpan.FromSeconds(30),
        DeadServerRetryMax = TimeSpan.FromSeconds(30),
    });

    [Fact]
    public async Task Keys_are_spread_over_every_server_and_each_server_only_holds_its_own()
    {
        await using var client = Client();
        for (var i = 0; i < 300; i++)
        {
            await client.SetAsync($"spread:{i}", Encoding.ASCII.GetBytes($"{i}"));
        }

        var stats = await client.GetStatsAsync();
        Assert.Equal(3, stats.Count);
        Assert.All(stats, s => Assert.InRange(s.CurrentItems, 50, 200));
        Assert.Equal(300, stats.Sum(s => s.CurrentItems));
        Assert.Equal(300, (await client.GetManyAsync(Enumerable.Range(0, 300).Select(i => $"spread:{i}"))).Count);
    }

    [Fact]
    public async Task A_dead_server_only_costs_its_own_keys_and_ejection_moves_them_to_the_next_server()
    {
        await using var client = Client();
        await using var ejecting = Client(eject: true);
        var keys = Enumerable.Range(0, 200).Select(i => $"fail:{i}").ToList();
        foreach (var key in keys)
        {
            await client.SetAsync(key, Encoding.ASCII.GetBytes(key));
        }

        Servers[1].Kill();
        var lost = 0;
        var kept = 0;
        foreach (var key in keys)
        {
            try
            {
                Assert.Equal(key, Encoding.ASCII.GetString((await client.GetAsync(key))!));
                kept++;
            }
            catch (MemcachedServerUnavailableException)
            {
                lost++;
            }
        }

        Assert.InRange(lost, 20, 120);
        Assert.Equal(200, lost + kept);

        // With ejection, a key whose server is dead is written to and read from its next server instead.
        foreach (var key in keys)
        {
            try
            {
                await ejecting.SetAsync(key, "moved"u8.ToArray());
            }
            catch (MemcachedServerUnavailableException)
            {
                // The first operation to a server finds it dead; after that its keys move.
                await ejecting.SetAsync(key, "moved"u8.ToArray());
            }
        }

        Assert.All(await Task.WhenAll(keys.Select(k => ejecting.GetAsync(k).AsTask())), v => Assert.Equal("moved"u8.ToArray(), v));
    }
}
