using System.Text;
using DualCache.Memcached;
using DualCache.Tests.Integration;
using DualCache.WebApp.Accounts;
using DualCache.WebApp.Cart;
using DualCache.WebApp.Catalog;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace DualCache.Tests.WebApp;

/// <summary>The cart as the app stores it: one protected key per sign-in, changed with compare-and-swap, on a real memcached.</summary>
public sealed class CartStoreTests(MemcachedServerFixture memcached) : IClassFixture<MemcachedServerFixture>, IAsyncLifetime
{
    private readonly MemcachedClient _client = memcached.CreateClient(name: "sessions");
    private readonly IDataProtectionProvider _keys = new EphemeralDataProtectionProvider();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _client.DisposeAsync();

    [Fact]
    public async Task Twenty_concurrent_adds_from_one_visitor_all_end_up_in_the_cart()
    {
        var store = Store();

        var updates = await Task.WhenAll(Enumerable.Range(1, 20).Select(id =>
            Task.Run(() => store.UpdateAsync("ticket:ada", cart => cart.Add(Product(id)), CancellationToken.None))));

        Assert.All(updates, update => Assert.Equal(CartUpdateOutcome.Updated, update.Outcome));
        var cart = await store.ReadAsync("ticket:ada", CancellationToken.None);
        Assert.Equal(Enumerable.Range(1, 20), cart.Lines.Select(line => line.ProductId).Order());
    }

    [Fact]
    public async Task A_cart_on_the_session_server_cannot_be_read()
    {
        var store = Store();

        await store.UpdateAsync("ticket:uma", cart => cart.Add(Product(1, "Burr grinder")), CancellationToken.None);

        var raw = Encoding.Latin1.GetString(await _client.GetAsync("cart:ticket:uma") ?? []);
        Assert.NotEmpty(raw);
        Assert.DoesNotContain("Burr grinder", raw, StringComparison.Ordinal);
        Assert.Equal(["Burr grinder"], (await store.ReadAsync("ticket:uma", CancellationToken.None)).Lines.Select(line => line.Name));
    }

    [Fact]
    public async Task A_tampered_cart_reads_as_an_empty_one()
    {
        var store = Store();
        await store.UpdateAsync("ticket:eve", cart => cart.Add(Product(1)), CancellationToken.None);
        var item = await _client.GetItemAsync("cart:ticket:eve") ?? throw new InvalidOperationException("The cart was not stored.");
        item.Value[^3] ^= 0x01;
        await _client.SetAsync("cart:ticket:eve", item.Value, TimeSpan.FromMinutes(5), item.Flags);

        Assert.Empty((await store.ReadAsync("ticket:eve", CancellationToken.None)).Lines);
    }

    [Fact]
    public async Task A_cart_copied_under_another_sign_in_reads_as_an_empty_one()
    {
        var store = Store();
        await store.UpdateAsync("ticket:victim", cart => cart.Add(Product(1)), CancellationToken.None);
        var item = await _client.GetItemAsync("cart:ticket:victim") ?? throw new InvalidOperationException("The cart was not stored.");

        await _client.SetAsync("cart:ticket:thief", item.Value, TimeSpan.FromMinutes(5), item.Flags);

        Assert.Empty((await store.ReadAsync("ticket:thief", CancellationToken.None)).Lines);
        Assert.Single((await store.ReadAsync("ticket:victim", CancellationToken.None)).Lines);
    }

    [Fact]
    public async Task A_cart_that_would_not_fit_is_refused_and_kept_as_it_was()
    {
        await using var small = await LocalMemcached.StartAsync(new() { Arguments = ["-I", "1k", "-o", "slab_chunk_max=512"] });
        await using var client = new MemcachedClient("sessions", new MemcachedClientOptions { Servers = small.ConnectionString, OperationTimeout = TimeSpan.FromSeconds(10) });
        var store = Store(client);

        var outcomes = new List<CartUpdateOutcome>();
        for (var id = 1; id <= 20; id++)
        {
            outcomes.Add((await store.UpdateAsync("ticket:big", cart => cart.Add(Product(id, $"A product with a long name, number {id}")), CancellationToken.None)).Outcome);
        }

        var kept = outcomes.TakeWhile(outcome => outcome == CartUpdateOutcome.Updated).Count();
        Assert.InRange(kept, 1, 19);
        Assert.All(outcomes.Skip(kept), outcome => Assert.Equal(CartUpdateOutcome.TooLarge, outcome));
        Assert.Equal(kept, (await store.ReadAsync("ticket:big", CancellationToken.None)).Lines.Count);
    }

    [Fact]
    public async Task Reading_the_cart_costs_one_round_trip_that_also_keeps_it_alive()
    {
        var store = Store();
        await store.UpdateAsync("ticket:ben", cart => cart.Add(Product(1)), CancellationToken.None);
        using var roundTrips = new RoundTrips(_client.Servers[0]);

        await store.ReadAsync("ticket:ben", CancellationToken.None);

        Assert.Equal(["get_and_touch"], roundTrips.Operations);
    }

    private CartStore Store(IMemcachedClient? client = null) =>
        new(client ?? _client, _keys, Options.Create(new SignInLimitOptions()), NullLogger<CartStore>.Instance);

    private static Product Product(int id, string? name = null) => new(id, name ?? $"Product {id}", "", "Kitchen", 10m);
}
