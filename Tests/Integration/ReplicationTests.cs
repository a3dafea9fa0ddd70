using System.Text;
using DualCache.Memcached;
using DualCache.Memcached.Servers;

namespace DualCache.Tests.Integration;

/// <summary>A role with <c>Replicas = 2</c> over three real memcached processes: every key on two servers, one of which may die.</summary>
public sealed class ReplicationTests : ThreeServerTests
{
    private const string Prefix = "replicated:";

    [Fact]
    public async Task A_write_lands_on_the_keys_server_and_the_next_distinct_one_clockwise()
    {
        await using var client = Client();
        for (var i = 0; i < 30; i++)
        {
            var key = $"placement-{i}";
            await client.SetAsync(key, "v"u8.ToArray());

            var holders = await HoldersAsync(key);

            Assert.Equal(CopiesOf(key), holders);
        }
    }

    [Fact]
    public async Task When_the_keys_server_dies_the_copy_answers()
    {
        await using var client = Client();
        await client.SetAsync("ticket", "Ada"u8.ToArray(), TimeSpan.FromMinutes(5));
        Servers[CopiesOf("ticket")[0]].Kill();

        Assert.Equal("Ada"u8.ToArray(), await client.GetAsync("ticket"));
        Assert.Equal("Ada"u8.ToArray(), (await client.GetAndTouchAsync("ticket", TimeSpan.FromMinutes(5)))?.Value);
    }

    [Theory]
    [InlineData(100)]
    [InlineData(45 * 24 * 3600)] // beyond 30 days, memcached reads a lifetime as a date: sent as seconds, it would be 1970
    public async Task A_server_that_comes_back_empty_is_repaired_by_the_next_read_with_the_remaining_lifetime(int seconds)
    {
        await using var client = Client();
        var copies = CopiesOf("cart");
        await client.SetAsync("cart", "lamp"u8.ToArray(), TimeSpan.FromSeconds(seconds));
        var primary = Servers[copies[0]];
        primary.Kill();
        await primary.RestartAsync();
        await using var direct = Direct(copies[0]);
        await EventuallyConnectedAsync(direct);
        Assert.Null(await direct.GetAsync("cart"));

        // The first read after the restart may still find the old connection broken; each read answers from the copy,
        // and the first one that reaches the empty server repairs it.
        for (var read = 0; read < 50 && await direct.GetAsync("cart") is null; read++)
        {
            Assert.Equal("lamp"u8.ToArray(), await client.GetAsync("cart"));
            await Task.Delay(100);
        }

        var repaired = await direct.GetItemAsync("cart");
        Assert.Equal("lamp"u8.ToArray(), repaired?.Value);
        // memcached's clock ticks in whole seconds, behind the wall clock: a date can read back a second or two long.
        Assert.InRange(await RemainingTtlAsync(copies[0], "cart"), seconds - 10, seconds + 2);
    }

    [Fact]
    public async Task A_sliding_read_keeps_every_copy_alive()
    {
        await using var client = Client();
        var copies = CopiesOf("session");
        await client.SetAsync("session", "s"u8.ToArray(), TimeSpan.FromSeconds(2));

        await client.GetAndTouchAsync("session", TimeSpan.FromMinutes(10));

        foreach (var copy in copies)
        {
            Assert.InRange(await RemainingTtlAsync(copy, "session"), 590, 600);
        }
    }

    [Fact]
    public async Task A_deleted_key_does_not_come_back_from_a_copy()
    {
        await using var client = Client();
        var copies = CopiesOf("signed-out");
        await client.SetAsync("signed-out", "ticket"u8.ToArray(), TimeSpan.FromMinutes(5));

        Assert.True(await client.DeleteAsync("signed-out"));

        Assert.Empty(await HoldersAsync("signed-out"));
        Servers[copies[0]].Kill();
        Assert.Null(await client.GetAsync("signed-out"));
    }

    [Fact]
    public async Task An_add_is_decided_by_the_keys_server_alone()
    {
        await using var client = Client();
        var copies = CopiesOf("new-ticket");
        await using (var primary = Direct(copies[0]))
        {
            await primary.SetAsync("new-ticket", "first"u8.ToArray());
        }

        Assert.Equal(StoreResult.AlreadyExists, await client.AddAsync("new-ticket", "second"u8.ToArray()));

        await using var copy = Direct(copies[1]);
        Assert.Null(await copy.GetAsync("new-ticket"));
        Assert.Equal(StoreResult.Stored, await client.AddAsync("other-ticket", "mine"u8.ToArray()));
        Assert.Equal(CopiesOf("other-ticket"), await HoldersAsync("other-ticket"));
    }

    [Fact]
    public async Task When_the_keys_server_has_just_died_an_add_and_a_compare_and_swap_are_decided_by_the_copy()
    {
        await using var client = Client();
        var dead = CopiesOf("cart")[0];
        var ticket = Enumerable.Range(0, 200).Select(i => $"ticket-{i}").First(key => CopiesOf(key)[0] == dead);
        await client.SetAsync("cart", "lamp"u8.ToArray());
        var cart = await client.GetItemAsync("cart") ?? throw new InvalidOperationException("The cart was not stored.");

        // Killed with the client's connection to it still open: nothing has marked it dead yet.
        Servers[dead].Kill();

        Assert.Equal(StoreResult.Stored, await client.AddAsync(ticket, "Ada"u8.ToArray()));
        // The copy has CAS values of its own: the first attempt may be refused, and a caller reads again and retries.
        if (await client.CompareAndSwapAsync("cart", "lamp,mug"u8.ToArray(), cart.Cas) != StoreResult.Stored)
        {
            var fromCopy = await client.GetItemAsync("cart") ?? throw new InvalidOperationException("The cart was lost.");
            Assert.Equal(StoreResult.Stored, await client.CompareAndSwapAsync("cart", "lamp,mug"u8.ToArray(), fromCopy.Cas));
        }

        await using var copy = Direct(CopiesOf("cart")[1]);
        Assert.Equal("lamp,mug"u8.ToArray(), await copy.GetAsync("cart"));
        await using var ticketCopy = Direct(CopiesOf(ticket)[1]);
        Assert.Equal("Ada"u8.ToArray(), await ticketCopy.GetAsync(ticket));
    }

    [Fact]
    public async Task Concurrent_compare_and_swap_updates_all_survive_and_every_copy_ends_the_same()
    {
        await using var client = Client();
        await client.SetAsync("counter", "0"u8.ToArray());

        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
        {
            while (true)
            {
                var item = await client.GetItemAsync("counter") ?? throw new InvalidOperationException("The counter vanished.");
                var next = Encoding.ASCII.GetBytes((int.Parse(Encoding.ASCII.GetString(item.Value), System.Globalization.CultureInfo.InvariantCulture) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
                if (await client.CompareAndSwapAsync("counter", next, item.Cas) == StoreResult.Stored)
                {
                    return;
                }
            }
        })));

        foreach (var copy in CopiesOf("counter"))
        {
            await using var direct = Direct(copy);
            Assert.Equal("20"u8.ToArray(), await direct.GetAsync("counter"));
        }
    }

    [Fact]
    public async Task With_every_copys_server_down_a_read_fails_rather_than_missing()
    {
        await using var client = Client();
        foreach (var copy in CopiesOf("lost"))
        {
            Servers[copy].Kill();
        }

        await Assert.ThrowsAnyAsync<MemcachedException>(() => client.GetAsync("lost").AsTask());
    }

    [Fact]
    public void Replicas_are_capped_at_the_number_ofServers_and_must_be_at_least_one()
    {
        var options = new MemcachedClientOptions { Servers = Servers[0].ConnectionString, Replicas = 0 };

        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => new MemcachedClient("sessions", options));

        Assert.Contains("Memcached:sessions:Replicas is 0", error.Message, StringComparison.Ordinal);
    }

    private MemcachedClient Client() => new("sessions", new MemcachedClientOptions
    {
        Servers = string.Join(",", Servers.Select(s => s.ConnectionString)),
        KeyPrefix = Prefix,
        Replicas = 2,
        OperationTimeout = TimeSpan.FromSeconds(10),
        DeadServerRetryInitial = TimeSpan.FromMilliseconds(200),
        DeadServerRetryMax = TimeSpan.FromMilliseconds(200),
    });

    private MemcachedClient Direct(int server) => new("direct", new MemcachedClientOptions
    {
        Servers = Servers[server].ConnectionString,
        KeyPrefix = Prefix,
        OperationTimeout = TimeSpan.FromSeconds(10),
    });

    /// <summary>The indices of the servers that should hold the key, in ring order.</summary>
    private int[] CopiesOf(string key)
    {
        var ring = new KetamaRing([.. Servers.Select(s => s.EndPoint)]);
        var indices = new int[2];
        ring.GetServerIndices(KetamaRing.Hash(Encoding.ASCII.GetBytes(Prefix + key)), indices);
        return indices;
    }

    /// <summary>The indices of the servers that hold the key, in ring order.</summary>
    private async Task<int[]> HoldersAsync(string key)
    {
        var order = CopiesOf(key).Concat(Enumerable.Range(0, Servers.Count)).Distinct().ToList();
        var holders = new List<int>();
        foreach (var server in order)
        {
            await using var direct = Direct(server);
            if (await direct.GetAsync(key) is not null)
            {
                holders.Add(server);
            }
        }

        return [.. holders];
    }

    private async Task<long> RemainingTtlAsync(int server, string key)
    {
        await using var direct = Direct(server);
        return await direct.RemainingTtlAsync(key, CancellationToken.None) ?? -2;
    }

    private static async Task EventuallyConnectedAsync(MemcachedClient client)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            if ((await client.GetVersionsAsync()).All(version => version.Error is null))
            {
                return;
            }

            await Task.Delay(100);
        }
    }
}
