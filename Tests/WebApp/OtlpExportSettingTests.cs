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
}
