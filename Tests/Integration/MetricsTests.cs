using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using DualCache.Memcached;
using DualCache.Tests.Connections;

namespace DualCache.Tests.Integration;

[Collection(ServerGaugeReaders.Name)]
public sealed class MetricsTests(MemcachedServerFixture memcached) : IClassFixture<MemcachedServerFixture>
{
    [Fact]
    public async Task Hits_misses_errors_and_server_gauges_carry_the_role_name()
    {
        var role = $"cache-{Guid.NewGuid():N}";
        var measurements = new ConcurrentBag<(string Instrument, long Value, string? Role)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == MemcachedMetrics.MeterName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == MemcachedMetrics.ClientTag)
                {
                    measurements.Add((instrument.Name, value, tag.Value as string));
                }
            }
        });
        listener.Start();
        await using var client = memcached.CreateClient(name: role);

        await client.SetAsync("present", new byte[] { 1 });
        await client.GetAsync("present");
        await client.GetAsync("absent");

        // The gauges answer from the last stats read; the first collection starts one in the background.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!measurements.Any(m => m.Role == role && m.Instrument == "memcached.server.items") && DateTime.UtcNow < deadline)
        {
            listener.RecordObservableInstruments();
            await Task.Delay(50);
        }

        var mine = measurements.Where(m => m.Role == role).ToList();
        Assert.Contains(mine, m => m.Instrument == "memcached.client.hits");
        Assert.Contains(mine, m => m.Instrument == "memcached.client.misses");
        Assert.Contains(mine, m => m.Instrument == "memcached.client.operations");
        Assert.Contains(mine, m => m.Instrument == "memcached.server.items" && m.Value >= 1);
        Assert.Contains(mine, m => m.Instrument == "memcached.server.limit" && m.Value == 64L * 1024 * 1024);
        Assert.Contains(mine, m => m.Instrument == "memcached.server.connections" && m.Value >= 1);
    }

    [Fact]
    public async Task Every_operation_is_a_client_span()
    {
        var spans = new ConcurrentBag<Activity>();
        var role = $"sessions-{Guid.NewGuid():N}";

        // Only this test's own trace is recorded: a listener's sampling decides for every listener of the process, and
        // recording everything would hand other tests' exporters spans their own setup drops.
        using var trace = new Activity($"test-{role}").Start();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == MemcachedActivitySource.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> options) =>
                options.Parent.TraceId == trace.TraceId ? ActivitySamplingResult.AllDataAndRecorded : ActivitySamplingResult.None,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(listener);
        await using var client = memcached.CreateClient(name: role);

        await client.SetAsync("traced", new byte[] { 1 });
        await client.GetAsync("traced");

        var mine = spans.Where(s => (string?)s.GetTagItem(MemcachedMetrics.ClientTag) == role).ToList();
        Assert.Contains(mine, s => s.DisplayName == "memcached set" && s.Kind == ActivityKind.Client);
        Assert.Contains(mine, s => s.DisplayName == "memcached get" && (bool?)s.GetTagItem("memcached.hit") == true);
    }
}
