using System.Data.Common;
using DualCache.Memcached;
using DualCache.Tests.Integration;
using DualCache.WebApp.Caching;
using DualCache.WebApp.Catalog;
using DualCache.WebApp.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace DualCache.Tests.WebApp;

/// <summary>The catalog read cache-aside through a real memcached, from a real SQLite database.</summary>
public sealed class CatalogCacheTests(MemcachedServerFixture memcached) : IClassFixture<MemcachedServerFixture>, IAsyncLifetime
{
    private readonly MemcachedClient _client = memcached.CreateClient(name: "cache");
    private readonly QueryCounter _queries = new();
    private readonly string _database = Path.Combine(Path.GetTempPath(), $"dualcache-catalog-{Guid.NewGuid():N}.db");

    public async Task InitializeAsync()
    {
        await using var database = Databases().CreateDbContext();
        await database.Database.EnsureCreatedAsync();
        database.Products.AddRange(CatalogSeed.Products);
        await database.SaveChangesAsync();
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        SqliteConnection.ClearAllPools();
        File.Delete(_database);
    }

    [Fact]
    public async Task Fifty_concurrent_reads_after_a_flush_send_one_query_to_the_database()
    {
        // Long enough for all fifty to ask while the one query runs, however late a loaded machine starts some of them.
        var catalog = Catalog(_client, Databases(queryDelay: TimeSpan.FromSeconds(3)));
        await catalog.GetProductsAsync(CancellationToken.None);
        await _client.FlushAllAsync();
        var before = _queries.Count;

        var reads = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => catalog.GetProductsAsync(CancellationToken.None))));

        Assert.Equal(1, _queries.Count - before);
        Assert.All(reads, read => Assert.Equal((DataSource.Database, 20), (read.Source, read.Value.Count)));
        Assert.Equal(DataSource.Cache, (await catalog.GetProductsAsync(CancellationToken.None)).Source);
        Assert.Equal(1, _queries.Count - before);
    }

    [Fact]
    public async Task A_reader_that_gives_up_does_not_cancel_the_read_the_others_wait_for()
    {
        var cache = ObjectCache(_client);
        var loads = 0;
        async Task<string> SlowLoad(CancellationToken token)
        {
            Interlocked.Increment(ref loads);
            await Task.Delay(300, token);
            return "value";
        }

        using var impatient = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        var first = cache.GetOrLoadAsync("patience", SlowLoad, StringJson.Default.String, TimeSpan.FromMinutes(1), impatient.Token);
        var second = cache.GetOrLoadAsync("patience", SlowLoad, StringJson.Default.String, TimeSpan.FromMinutes(1), CancellationToken.None);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        Assert.Equal("value", (await second).Value);
        Assert.Equal(1, loads);
    }

    [Fact]
    public async Task A_failed_load_reaches_every_waiting_reader_and_is_not_remembered()
    {
        var cache = ObjectCache(_client);
        var loads = 0;
        async Task<string> FailingOnceLoad(CancellationToken token)
        {
            var attempt = Interlocked.Increment(ref loads);
            await Task.Delay(200, token);
            return attempt == 1 ? throw new InvalidOperationException("database down") : "value";
        }

        var failed = Enumerable.Range(0, 10)
            .Select(_ => cache.GetOrLoadAsync("flaky", FailingOnceLoad, StringJson.Default.String, TimeSpan.FromMinutes(1), CancellationToken.None))
            .ToList();
        foreach (var read in failed)
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => read);
        }

        Assert.Equal("value", (await cache.GetOrLoadAsync("flaky", FailingOnceLoad, StringJson.Default.String, TimeSpan.FromMinutes(1), CancellationToken.None)).Value);
        Assert.Equal(2, loads);
    }

    [Fact]
    public async Task A_load_that_never_finishes_holds_up_its_key_only_until_the_load_timeout()
    {
        var clock = new FakeTimeProvider();
        var cache = ObjectCache(_client, clock);
        var key = $"stuck:{Guid.NewGuid():N}";

        // The stuck read's own load hangs and ignores its token, as a query stuck on a lock might. It is that read's
        // load, not the first load called: the stuck read's miss may still be on its way when the next read loads.
        static Task<string> Stuck(CancellationToken token) => new TaskCompletionSource<string>().Task;
        var loads = 0;
        Task<string> Load(CancellationToken token)
        {
            Interlocked.Increment(ref loads);
            return Task.FromResult("value");
        }

        var stuck = cache.GetOrLoadAsync(key, Stuck, StringJson.Default.String, TimeSpan.FromMinutes(1), CancellationToken.None);
        var waiting = cache.GetOrLoadAsync(key, Load, StringJson.Default.String, TimeSpan.FromMinutes(1), CancellationToken.None);
        clock.Advance(new ObjectCacheOptions().LoadTimeout);

        await Assert.ThrowsAsync<TimeoutException>(() => stuck);
        await Assert.ThrowsAsync<TimeoutException>(() => waiting);
        var after = cache.GetOrLoadAsync(key, Load, StringJson.Default.String, TimeSpan.FromMinutes(1), CancellationToken.None);
        Assert.Equal("value", (await after.WaitAsync(TimeSpan.FromSeconds(30))).Value);
        Assert.Equal(1, loads);
    }

    [Fact]
    public async Task When_the_object_cache_cannot_be_reached_reads_come_from_the_database_until_it_returns()
    {
        await using var server = await LocalMemcached.StartAsync();
        await using var client = new MemcachedClient("cache", new MemcachedClientOptions
        {
            Servers = server.ConnectionString,
            DeadServerRetryMax = TimeSpan.FromSeconds(1),
        });
        var catalog = Catalog(client, Databases());
        await catalog.GetProductsAsync(CancellationToken.None);

        server.Kill();
        var down = await catalog.GetProductsAsync(CancellationToken.None);

        Assert.Equal((DataSource.Database, true, 20), (down.Source, down.CacheUnavailable, down.Value.Count));

        await server.RestartAsync();
        var deadline = DateTime.UtcNow.AddSeconds(15);
        CacheRead<IReadOnlyList<Product>> read;
        do
        {
            await Task.Delay(200);
            read = await catalog.GetProductsAsync(CancellationToken.None);
        }
        while (read.Source != DataSource.Cache && DateTime.UtcNow < deadline);

        Assert.Equal((DataSource.Cache, false), (read.Source, read.CacheUnavailable));
    }

    private static CatalogService Catalog(IMemcachedClient client, IDbContextFactory<ShopDbContext> databases) =>
        new(databases, ObjectCache(client));

    private static ObjectCache ObjectCache(IMemcachedClient client, TimeProvider? time = null) =>
        new(client, Options.Create(new ObjectCacheOptions()), time ?? TimeProvider.System, NullLogger<ObjectCache>.Instance);

    private Databases Databases(TimeSpan queryDelay = default) => new(new DbContextOptionsBuilder<ShopDbContext>()
        .UseSqlite($"Data Source={_database}")
        .AddInterceptors(_queries, new SlowQueries(queryDelay))
        .Options);

    /// <summary>A database slow enough that every concurrent reader arrives while the first query is still running.</summary>
    private sealed class SlowQueries(TimeSpan delay) : DbCommandInterceptor
    {
        public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            await Task.Delay(delay, cancellationToken);
            return result;
        }
    }
}

internal sealed class Databases(DbContextOptions<ShopDbContext> options) : IDbContextFactory<ShopDbContext>
{
    public ShopDbContext CreateDbContext() => new(options);
}

[System.Text.Json.Serialization.JsonSerializable(typeof(string))]
internal sealed partial class StringJson : System.Text.Json.Serialization.JsonSerializerContext;
