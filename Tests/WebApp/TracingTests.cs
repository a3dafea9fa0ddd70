using System.Diagnostics;
using DualCache.Memcached;
using DualCache.Tests.EndToEnd;
using OpenTelemetry.Trace;

namespace DualCache.Tests.WebApp;

/// <summary>What the dashboard's trace view shows: the traces the app's own OpenTelemetry setup exports.</summary>
public sealed class TracingTests
{
    [Fact]
    public async Task Page_views_are_named_traces_with_their_memcached_calls_and_probes_leave_none()
    {
        var spans = new List<Activity>();
        var app = await DualCacheApp.StartAsync(services: services =>
            services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans)));
        try
        {
            using var http = new HttpClient { BaseAddress = app.BaseAddress };
            foreach (var path in (string[])["/health", "/alive", "/catalog", "/health"])
            {
                (await http.GetAsync(new Uri(path, UriKind.Relative))).EnsureSuccessStatusCode();
            }

            // What the metrics gauges and a monitor do in the background, outside any request.
            await app.CacheClient.GetStatsAsync();
            await app.CacheClient.GetVersionsAsync();
        }
        finally
        {
            // Stops the server, so that every request's span has ended and been exported.
            await app.DisposeAsync();
        }

        // Every app in this process shares the activity sources, so only this app's spans count: its requests by
        // Kestrel's port, its memcached calls by the servers' ports.
        var memcachedPorts = new[] { app.CacheServer.EndPoint.Port, app.SessionsServer.EndPoint.Port };
        var requests = spans.Where(span => span.Kind == ActivityKind.Server && Port(span) == app.BaseAddress.Port).ToList();
        var memcached = spans.Where(span => span.Source.Name == MemcachedActivitySource.Name && Port(span) is { } port && memcachedPorts.Contains(port)).ToList();

        var page = Assert.Single(requests);
        // The route template as MVC keeps it, without its leading slash.
        Assert.Equal("GET catalog", page.DisplayName);
        Assert.Contains(memcached, span => span.DisplayName == "memcached get" && span.ParentSpanId == page.SpanId);
        Assert.All(memcached, span => Assert.NotEqual(default, span.ParentSpanId));
        Assert.DoesNotContain(memcached, span => span.DisplayName is "memcached stats" or "memcached version");
    }

    private static int? Port(Activity span) => span.GetTagItem("server.port") as int?;
}
