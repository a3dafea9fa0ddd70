using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Exporter;

namespace DualCache.Tests.WebApp;

public sealed class OtlpExportSettingTests
{
    [Theory]
    [InlineData("http://127.0.0.1:4318", true)]
    [InlineData("", false)]
    [InlineData("  ", false)]
    public void Telemetry_is_exported_over_OTLP_only_when_the_endpoint_has_a_value(string endpoint, bool exported)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection([new("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint)]);

        builder.AddServiceDefaults();

        var otlp = typeof(OtlpExporterOptions).Assembly;
        Assert.Equal(exported, builder.Services.Any(service => service.ServiceType.Assembly == otlp || service.ImplementationType?.Assembly == otlp));
    }

    [Fact]
    public async Task A_collector_that_fails_an_export_gets_the_next_one_instead_of_the_same_one_again()
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
        while (collector.Exports < 4 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        await host.StopAsync();
        var exports = collector.MetricExports;
        Assert.True(exports.Count >= 4, $"{exports.Count} exports arrived in 30 s");
        Assert.Equal(exports.Count, exports.Select(Convert.ToBase64String).Distinct().Count());
    }
}
