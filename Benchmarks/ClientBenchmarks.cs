using BenchmarkDotNet.Attributes;
using DualCache.Memcached;

namespace DualCache.Benchmarks;

/// <summary>
/// One caller's round trips against a local memcached: latency and, above all, allocations per operation. The methods
/// return the client's ValueTask as it is, so no async state machine of the benchmark's own is counted.
/// </summary>
[MemoryDiagnoser]
public class ClientBenchmarks
{
    private readonly byte[] _value = new byte[100];
    private LocalMemcached _server = null!;
    private MemcachedClient _client = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _server = await LocalMemcached.StartAsync();
        _client = new MemcachedClient("bench", new MemcachedClientOptions { Servers = _server.ConnectionString });
        await _client.SetAsync("bench:hit", _value);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _client.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Benchmark]
    public ValueTask<byte[]?> GetHit() => _client.GetAsync("bench:hit");

    [Benchmark]
    public ValueTask<byte[]?> GetMiss() => _client.GetAsync("bench:miss");

    [Benchmark]
    public ValueTask Set() => _client.SetAsync("bench:set", _value);

    [Benchmark]
    public ValueTask<byte[]?> GetOddKey() => _client.GetAsync("bench key with spaces");
}
