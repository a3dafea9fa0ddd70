using System.Text.Json.Serialization;
using DualCache.Memcached;

namespace DualCache.Tests.Integration;

public sealed record CachedProduct(int Id, string Name, decimal Price);

[JsonSerializable(typeof(CachedProduct))]
public sealed partial class JsonValueTestsContext : JsonSerializerContext;

public sealed class JsonValueTests(MemcachedServerFixture memcached) : IClassFixture<MemcachedServerFixture>
{
    [Fact]
    public async Task A_typed_value_round_trips_as_json()
    {
        await using var client = memcached.CreateClient();
        var product = new CachedProduct(7, "Teapot", 19.90m);

        await client.SetAsync("product:7", product, JsonValueTestsContext.Default.CachedProduct);

        Assert.Equal(product, await client.GetAsync("product:7", JsonValueTestsContext.Default.CachedProduct));
        Assert.Equal(MemcachedClientJsonExtensions.JsonFlags, (await client.GetItemAsync("product:7"))!.Value.Flags);
        Assert.Null(await client.GetAsync("product:8", JsonValueTestsContext.Default.CachedProduct));
    }

    [Fact]
    public async Task A_raw_value_is_never_misread_as_json()
    {
        await using var client = memcached.CreateClient();
        await client.SetAsync("raw", "{\"Id\":1}"u8.ToArray());

        var error = await Assert.ThrowsAsync<MemcachedException>(async () => await client.GetAsync("raw", JsonValueTestsContext.Default.CachedProduct));

        Assert.Contains("not stored as JSON", error.Message, StringComparison.Ordinal);
    }
}
