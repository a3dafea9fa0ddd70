using BenchmarkDotNet.Attributes;
using DualCache.Memcached;

namespace DualCache.Benchmarks;

/// <summary>
/// What a signed-in page view costs the <c>sessions</c> role with one copy of each key and with two: the ticket read
/// and the cart read, each an <c>mg ... T</c> that slides the idle timeout, one after the other as the app does them.
/// Three local memcached processes; with two copies every read also touches the key's second server, side by side.
/// </summary>
[MemoryDiagnoser]
public class ReplicaBenchmarks
{
    private static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(20);

    private readonly List<LocalMemcached> _servers = [];
    private MemcachedClient _client = null!;

    [Params(1, 2)]
    public int Replicas { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        for (var i = 0; i < 3; i++)
        {
            _servers.Add(await LocalMemcached.StartAsync());
        }

        _client = new MemcachedClient("sessions", new MemcachedClientOptions
        {
            Servers = string.Join(',', _servers.Select(server => server.ConnectionString)),
            Replicas = Replicas,
        });
        await _client.SetAsync("ticket:bench", new byte[600], IdleTimeout);
        await _client.SetAsync("cart:ticket:bench", new byte[300], IdleTimeout);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _client.DisposeAsync();
        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }
    }

    [Benchmark]
    public async Task<MemcachedItem?> SignedInPageViewReads()
    {
        await _client.GetAndTouchAsync("ticket:bench", IdleTimeout);
        return await _client.GetAndTouchAsync("cart:ticket:bench", IdleTimeout);
    }

    [Benchmark]
    public ValueTask<StoreResult> SignIn() => _client.AddAsync($"ticket:{Guid.NewGuid():N}", new byte[600], IdleTimeout);
}
