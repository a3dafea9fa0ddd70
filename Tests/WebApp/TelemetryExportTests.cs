using DualCache.Memcached;
using DualCache.Tests.EndToEnd;
using Microsoft.Extensions.DependencyInjection;

namespace DualCache.Tests.WebApp;

[Collection(AloneInProcess.Name)]
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

        // Clients of other tests in this process export under the same role names: only this app's servers count.
        var servers = new Dictionary<string, string>
        {
            ["cache"] = app.CacheServer.EndPoint.ToString(),
            ["sessions"] = app.SessionsServer.EndPoint.ToString(),
        };

        string[] wanted = ["memcached.client.operations", "memcached.client.operation.duration", "memcached.server.items", "memcached.server.limit"];
        // Generous: the gauges need a stats read, refreshed at most every 5 s, on a machine CI keeps busy.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && !(AllArrived(receiver, wanted, servers) && CacheMissArrived(receiver, servers)))
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
                    receiver.DataPoints.Any(p => p.Metric == metric && IsOf(p.Attributes, role, servers)),
                    $"{metric} for role '{role}' did not arrive. {Arrived(receiver)}. {GaugeSources(app)}");
            }
        }

        Assert.True(CacheMissArrived(receiver, servers), $"memcached.client.misses for role 'cache' did not arrive. {Arrived(receiver)}");
    }

    /// <summary>What did arrive, so that a failure says whether nothing was exported or only some series were missing.</summary>
    private static string Arrived(OtlpReceiver receiver)
    {
        var points = receiver.DataPoints.Where(p => p.Metric.StartsWith("memcached.", StringComparison.Ordinal)).ToList();
        var series = points
            .GroupBy(p => $"{p.Metric}[{p.Attributes.GetValueOrDefault(MemcachedMetrics.ClientTag) ?? (p.Attributes.ContainsKey("otel.metric.overflow") ? "overflow" : "no role")} on {p.Attributes.GetValueOrDefault(MemcachedMetrics.ServerTag)}]")
            .Select(group => $"{group.Key}: {group.Count()}");
        return $"{receiver.MetricExports.Count} exports arrived; memcached data points by metric, role and server: {string.Join(", ", series)}";
    }

    /// <summary>What this app's clients' gauges last read from their servers, for a failure to say why a gauge is missing.</summary>
    private static string GaugeSources(DualCacheApp app) => string.Join("; ", Roles.Select(role =>
        app.Services.GetRequiredKeyedService<IMemcachedClient>(role) is MemcachedClient client
            ? $"{role}'s last stats: [{string.Join(", ", client.LatestStats().Select(s => $"{s.EndPoint}: {s.Error?.Message ?? $"{s.Values.Count} values"}"))}]"
            : $"{role}'s client is not a MemcachedClient"));

    /// <summary>A point this app's client for the role recorded, on that role's server.</summary>
    private static bool IsOf(IReadOnlyDictionary<string, string> attributes, string role, Dictionary<string, string> servers) =>
        attributes.GetValueOrDefault(MemcachedMetrics.ClientTag) == role && attributes.GetValueOrDefault(MemcachedMetrics.ServerTag) == servers[role];

    private static bool CacheMissArrived(OtlpReceiver receiver, Dictionary<string, string> servers) =>
        receiver.DataPoints.Any(p => p.Metric == "memcached.client.misses" && IsOf(p.Attributes, "cache", servers));

    private static bool AllArrived(OtlpReceiver receiver, string[] metrics, Dictionary<string, string> servers)
    {
        var points = receiver.DataPoints.ToList();
        return metrics.All(metric => Roles.All(role => points.Any(p => p.Metric == metric && IsOf(p.Attributes, role, servers))));
    }
}
