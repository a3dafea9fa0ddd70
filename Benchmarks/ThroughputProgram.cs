using System.Diagnostics;
using System.Globalization;
using DualCache.Memcached;

namespace DualCache.Benchmarks;

/// <summary>
/// N callers loop on one operation for a fixed time against a local memcached and report ops/s and latency
/// percentiles. Bounded in time (120 s at most) and aimed at loopback only.
/// </summary>
public static class ThroughputProgram
{
    private const int KeySpace = 10_000;

    /// <remarks>Cancelled (Ctrl+C, SIGTERM), it stops its callers and the memcached it started.</remarks>
    public static async Task<int> RunAsync(ThroughputSettings settings, CancellationToken cancellationToken)
    {
        await using var local = settings.Server is null ? await LocalMemcached.StartAsync(new LocalMemcachedOptions { MemoryLimitMegabytes = 256 }, cancellationToken) : null;
        var server = settings.Server ?? local!.ConnectionString;
        await using var client = new MemcachedClient("bench", new MemcachedClientOptions { Servers = server, ConnectionsPerServer = settings.Connections, UnsafePreferInlineScheduling = settings.Inline });

        var value = new byte[settings.ValueSize];
        Random.Shared.NextBytes(value);
        for (var i = 0; i < KeySpace; i++)
        {
            await client.SetAsync(Key(i), value, cancellationToken: cancellationToken);
        }

        // Warm up the JIT and the connections before measuring.
        _ = await RunPhaseAsync(client, settings, value, TimeSpan.FromSeconds(2), cancellationToken);
        var (operations, latencies, errors, misses) = await RunPhaseAsync(client, settings, value, settings.Duration, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();

        latencies.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"operation={settings.Operation} callers={settings.Callers} connections={settings.Connections} value={settings.ValueSize}B seconds={settings.Duration.TotalSeconds:0} " +
            $"ops/s={operations / settings.Duration.TotalSeconds:0} p50={Percentile(latencies, 0.50):0.000}ms p99={Percentile(latencies, 0.99):0.000}ms errors={errors} misses={misses}"));
        return errors == 0 ? 0 : 1;
    }

    private static async Task<(long Operations, List<double> Latencies, long Errors, long Misses)> RunPhaseAsync(MemcachedClient client, ThroughputSettings settings, byte[] value, TimeSpan duration, CancellationToken cancellationToken)
    {
        var stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        long errors = 0;
        long misses = 0;
        var perCaller = await Task.WhenAll(Enumerable.Range(0, settings.Callers).Select(async caller =>
        {
            // Sample every 16th latency: enough for p99, without the sampling itself costing throughput.
            var latencies = new List<double>(100_000);
            var random = new Random(caller);
            long operations = 0;
            while (Stopwatch.GetTimestamp() < stopAt && !cancellationToken.IsCancellationRequested)
            {
                var key = Key(random.Next(KeySpace));
                var started = Stopwatch.GetTimestamp();
                try
                {
                    switch (settings.Operation)
                    {
                        case "get":
                            if (await client.GetAsync(key) is null)
                            {
                                // Evicted (the server was full): still a round trip, but worth reporting.
                                Interlocked.Increment(ref misses);
                            }

                            break;
                        case "set":
                            await client.SetAsync(key, value);
                            break;
                        default:
                            if ((operations & 3) == 0)
                            {
                                await client.SetAsync(key, value);
                            }
                            else
                            {
                                _ = await client.GetAsync(key);
                            }

                            break;
                    }
                }
                catch (MemcachedException)
                {
                    Interlocked.Increment(ref errors);
                }

                if ((operations++ & 15) == 0)
                {
                    latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
            }

            return (operations, latencies);
        }));

        return (perCaller.Sum(c => c.operations), perCaller.SelectMany(c => c.latencies).ToList(), errors, misses);
    }

    private static string Key(int i) => string.Create(CultureInfo.InvariantCulture, $"bench:key:{i}");

    private static double Percentile(List<double> sorted, double percentile) =>
        sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)(sorted.Count * percentile))];
}
