using DualCache.Tests.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DualCache.Tests.WebApp;

/// <summary>
/// Metrics export to a collector that fails. In the gauge readers' collection: exporting the memcached meter reads its
/// server gauges, which sends <c>stats</c> from every client in the process made without dependency injection.
/// </summary>
[Collection(ServerGaugeReaders.Name)]
public sealed class OtlpExportFailureTests
{
    [Fact]
    public async Task A_collector_that_fails_a_metrics_export_gets_the_next_one_instead_of_the_same_one_again()
    {
        await using var collector = await OtlpReceiver.StartAsync(StatusCodes.Status503ServiceUnavailable);
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(
        [
            new("OTEL_EXPORTER_OTLP_ENDPOINT", collector.Endpoint),
            new("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"),
            new("OTEL_METRIC_EXPORT_INTERVAL", "200"),
        ]);
        builder.AddServiceDefaults();
        using var host = builder.Build();
        await host.StartAsync();

        // The app's resilience handler, left on the exporter's client, would send a failed export again (and again),
        // byte for byte, while the measurements taken since wait behind it. Each collection carries its own end time.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (collector.MetricExports.Count < 4 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        await host.StopAsync();
        var exports = collector.MetricExports;
        Assert.True(exports.Count >= 4, $"{exports.Count} exports arrived in 30 s");
        Assert.Equal(exports.Count, exports.Select(Convert.ToBase64String).Distinct().Count());
    }
}
