using DualCache.Memcached;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace DualCache.Tests.Integration;

/// <summary><c>Memcached:sessions:MigrateFrom</c> over two real memcached processes: the old store and the new one.</summary>
public sealed class MigrationTests : IAsyncLifetime
{
    private readonly string _prefix = $"{Guid.NewGuid():N}:";
    private LocalMemcached _old = null!;
    private LocalMemcached _new = null!;

    public async Task InitializeAsync()
    {
        _old = await LocalMemcached.StartAsync();
        _new = await LocalMemcached.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _old.DisposeAsync();
        await _new.DisposeAsync();
    }

    [Fact]
    public async Task A_key_only_the_old_store_holds_is_served_and_copied_with_its_remaining_lifetime()
    {
        await using var old = Direct(_old);
        await using var fresh = Direct(_new);
        await old.SetAsync("ticket:ada", "Ada"u8.ToArray(), TimeSpan.FromSeconds(600), flags: 7);
        using var host = await StartAsync(migrate: true);

        var item = await Sessions(host).GetItemAsync("ticket:ada");

        Assert.Equal("Ada"u8.ToArray(), item?.Value);
        Assert.Equal(7u, item?.Flags);
        var (copied, ttl) = (await fresh.GetWithRemainingTtlAsync("ticket:ada", default)).GetValueOrDefault();
        Assert.Equal("Ada"u8.ToArray(), copied.Value);
        Assert.InRange(ttl, 590, 600);
    }

    [Fact]
    public async Task A_touch_without_an_expiry_means_none_for_a_key_still_on_the_old_store_too()
    {
        await using var old = Direct(_old);
        await using var fresh = Direct(_new);
        await old.SetAsync("ticket:touched", "Ada"u8.ToArray(), TimeSpan.FromMinutes(10));
        await fresh.SetAsync("ticket:moved", "Bob"u8.ToArray(), TimeSpan.FromMinutes(10));
        using var host = await StartAsync(migrate: true);

        Assert.True(await Sessions(host).TouchAsync("ticket:moved", null));
        Assert.True(await Sessions(host).TouchAsync("ticket:touched", null));

        Assert.Equal(-1, (await fresh.GetWithRemainingTtlAsync("ticket:moved", default))?.Ttl);
        Assert.Equal(-1, (await fresh.GetWithRemainingTtlAsync("ticket:touched", default))?.Ttl);
    }

    [Fact]
    public async Task A_migrated_item_keeps_no_lifetime_when_it_had_none()
    {
        await using var old = Direct(_old);
        await using var fresh = Direct(_new);
        await old.SetAsync("forever", "x"u8.ToArray());
        using var host = await StartAsync(migrate: true);

        Assert.Equal("x"u8.ToArray(), await Sessions(host).GetAsync("forever"));

        Assert.Equal(-1, (await fresh.GetWithRemainingTtlAsync("forever", default))?.Ttl);
    }

    [Fact]
    public async Task Compare_and_swap_after_a_migrated_read_is_decided_by_the_new_store()
    {
        await using var old = Direct(_old);
        await using var fresh = Direct(_new);
        await old.SetAsync("cart:ada", "1"u8.ToArray(), TimeSpan.FromMinutes(10));
        using var host = await StartAsync(migrate: true);
        var sessions = Sessions(host);

        var read = await sessions.GetAndTouchAsync("cart:ada", TimeSpan.FromMinutes(20));
        var swapped = await sessions.CompareAndSwapAsync("cart:ada", "2"u8.ToArray(), read!.Value.Cas, TimeSpan.FromMinutes(20));
        var stale = await sessions.CompareAndSwapAsync("cart:ada", "3"u8.ToArray(), read.Value.Cas, TimeSpan.FromMinutes(20));

        Assert.Equal((StoreResult.Stored, StoreResult.CasMismatch), (swapped, stale));
        Assert.Equal("2"u8.ToArray(), await fresh.GetAsync("cart:ada"));
        Assert.Equal("1"u8.ToArray(), await old.GetAsync("cart:ada"));
    }

    [Fact]
    public async Task A_delete_removes_the_key_from_both_stores()
    {
        await using var old = Direct(_old);
        await using var fresh = Direct(_new);
        await old.SetAsync("ticket:gone", "Ada"u8.ToArray(), TimeSpan.FromMinutes(10));
        using var host = await StartAsync(migrate: true);
        var sessions = Sessions(host);
        Assert.NotNull(await sessions.GetAsync("ticket:gone"));

        Assert.True(await sessions.DeleteAsync("ticket:gone"));

        Assert.Null(await fresh.GetAsync("ticket:gone"));
        Assert.Null(await old.GetAsync("ticket:gone"));
        Assert.Null(await sessions.GetAsync("ticket:gone"));
    }

    [Fact]
    public async Task A_migrated_sliding_read_is_one_read_of_the_old_store_and_three_operations_on_the_new_one_once()
    {
        await using var old = Direct(_old);
        await old.SetAsync("ticket:once", "Ada"u8.ToArray(), TimeSpan.FromMinutes(10));
        var newName = $"new-{Guid.NewGuid():N}";
        var oldName = $"old-{Guid.NewGuid():N}";
        await using var sessions = new MigratingMemcachedClient(Direct(_new, newName), Direct(_old, oldName));
        using var onNew = new OperationCounter(newName);
        using var onOld = new OperationCounter(oldName);

        await sessions.GetAndTouchAsync("ticket:once", TimeSpan.FromMinutes(20));
        var (firstOnNew, firstOnOld) = (onNew.Operations, onOld.Operations);
        onNew.Clear();
        onOld.Clear();
        await sessions.GetAndTouchAsync("ticket:once", TimeSpan.FromMinutes(20));

        Assert.Equal(["get_and_touch", "add", "get_and_touch"], firstOnNew);
        Assert.Equal(["get"], firstOnOld);
        Assert.Equal(["get_and_touch"], onNew.Operations);
        Assert.Empty(onOld.Operations);
    }

    [Fact]
    public async Task A_hit_on_the_new_store_sends_nothing_to_the_old_one()
    {
        await using var old = Direct(_old);
        await using var fresh = Direct(_new);
        await fresh.SetAsync("ticket:new", "Ada"u8.ToArray(), TimeSpan.FromMinutes(10));
        using var host = await StartAsync(migrate: true);
        var before = await ReadsAsync(old);

        for (var i = 0; i < 10; i++)
        {
            Assert.NotNull(await Sessions(host).GetAndTouchAsync("ticket:new", TimeSpan.FromMinutes(10)));
        }

        Assert.Equal(before, await ReadsAsync(old));
    }

    [Fact]
    public async Task Without_the_setting_the_role_is_a_plain_client_and_a_miss_never_reaches_the_old_store()
    {
        await using var old = Direct(_old);
        await old.SetAsync("ticket:old", "Ada"u8.ToArray(), TimeSpan.FromMinutes(10));
        using var host = await StartAsync(migrate: false);
        var before = await ReadsAsync(old);

        Assert.Null(await Sessions(host).GetAsync("ticket:old"));

        Assert.IsType<MemcachedClient>(Sessions(host));
        Assert.Equal(before, await ReadsAsync(old));
    }

    [Theory]
    [InlineData("", "Memcached:sessions:MigrateFrom:Servers is missing")]
    [InlineData("localhost:abc", "Memcached:sessions:MigrateFrom:Servers has 'localhost:abc'")]
    [InlineData("self", "Memcached:sessions:MigrateFrom names the role's own servers and key prefix")]
    public async Task A_bad_migration_setting_fails_at_startup_naming_it(string servers, string expected)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:sessions"] = _new.ConnectionString,
            ["Memcached:sessions:MigrateFrom:Servers"] = servers == "self" ? _new.ConnectionString : servers,
        });
        builder.AddKeyedMemcachedClient("sessions");
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    private static IMemcachedClient Sessions(IHost host) => host.Services.GetRequiredKeyedService<IMemcachedClient>("sessions");

    private static async Task<long> ReadsAsync(MemcachedClient client)
    {
        var stats = Assert.Single(await client.GetStatsAsync());
        return stats.Hits + stats.Misses;
    }

    private MemcachedClient Direct(LocalMemcached server, string name = "direct") =>
        new(name, new MemcachedClientOptions { Servers = server.ConnectionString, KeyPrefix = _prefix, OperationTimeout = TimeSpan.FromSeconds(10) });

    private async Task<IHost> StartAsync(bool migrate)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:sessions"] = _new.ConnectionString,
            ["Memcached:sessions:KeyPrefix"] = _prefix,
            ["Memcached:sessions:OperationTimeout"] = "00:00:10",
        };
        if (migrate)
        {
            settings["Memcached:sessions:MigrateFrom:Servers"] = _old.ConnectionString;
        }

        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddKeyedMemcachedClient("sessions");
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }
}
