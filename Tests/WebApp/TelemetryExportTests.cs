using DualCache.Memcached;
using DualCache.Tests.Connections;
using DualCache.Tests.EndToEnd;

namespace DualCache.Tests.WebApp;

[Collection(ServerGaugeReaders.Name)]
public sealed class TelemetryExportTests
{
    private static readonly string[] Roles = ["cache", "sessions"];

    [Fact]
    public async Task Memcached_metrics_for_both_roles_reach_the_OTLP_endpoint()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var app = await DualCacheApp.StartAsync(settings: new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Endpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
        });
        using var http = new HttpClient { BaseAddress = app.BaseAddress };

        string[] wanted = ["memcached.client.operations", "memcached.client.operation.duration", "memcached.server.items", "memcached.server.limit"];
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline && !(AllArrived(receiver, wanted) && CacheMissArrived(receiver)))
        {
            // The catalog reads the object cache; the health check sends a version to both roles. The catalog's one
            // miss is its first read, which a loaded machine may time out, so every round misses on purpose too.
            (await http.GetAsync(new Uri("/", UriKind.Relative))).EnsureSuccessStatusCode();
            await http.GetAsync(new Uri("/health", UriKind.Relative));
            await app.CacheClient.GetAsync($"missing:{Guid.NewGuid():N}");
            await Task.Delay(300);
        }

        foreach (var metric in wanted)
        {
            foreach (var role in Roles)
            {
                Assert.True(
                    receiver.DataPoints.Any(p => p.Metric == metric && p.Attributes.GetValueOrDefault(MemcachedMetrics.ClientTag) == role),
                    $"{metric} for role '{role}' did not arrive. {Arrived(receiver)}");
            }
        }

        Assert.True(CacheMissArrived(receiver), $"memcached.client.misses for role 'cache' did not arrive. {Arrived(receiver)}");
    }

    /// <summary>What did arrive, so that a failure says whether nothing was exported or only some series were missing.</summary>
    private static string Arrived(OtlpReceiver receiver)
    {
        var points = receiver.DataPoints.Where(p => p.Metric.StartsWith("memcached.", StringComparison.Ordinal)).ToList();
        var series = points
            .GroupBy(p => $"{p.Metric}[{p.Attributes.GetValueOrDefault(MemcachedMetrics.ClientTag) ?? (p.Attributes.ContainsKey("otel.metric.overflow") ? "overflow" : "no role")}]")
            .Select(group => $"{group.Key}: {group.Count()}");
        return $"{receiver.Exports} exports arrived; memcached data points by metric and role: {string.Join(", ", series)}";
    }

    private static bool CacheMissArrived(OtlpReceiver receiver) =>
        receiver.DataPoints.Any(p => p.Metric == "memcached.client.misses" && p.Attributes.GetValueOrDefault(MemcachedMetrics.ClientTag) == "cache");

    private static bool AllArrived(OtlpReceiver receiver, string[] metrics)
    {
        var points = receiver.DataPoints.ToList();
        return metrics.All(metric => Roles.All(role =>
            points.Any(p => p.Metric == metric && p.Attributes.GetValueOrDefault(MemcachedMetrics.ClientTag) == role)));
    }
}
