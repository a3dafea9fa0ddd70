using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace DualCache.ServiceDefaults;

/// <summary>
/// Owns the meter and tracer providers for the host's lifetime: built when the host starts (before the server takes
/// requests), flushed and disposed when it stops. Does what OpenTelemetry.Extensions.Hosting would.
/// </summary>
internal sealed class OpenTelemetryService(string serviceName, IConfiguration configuration) : IHostedService, IDisposable
{
    private OpenTelemetrySdk? _sdk;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _sdk ??= OpenTelemetrySdk.Create(telemetry =>
        {
            // The SDK keeps its own service provider; give it the host's configuration so the OTLP exporter reads
            // OTEL_EXPORTER_OTLP_* from the same place as the rest of the app, not from environment variables alone.
            telemetry.Services.AddSingleton(configuration);

            telemetry
                .ConfigureResource(resource => resource.AddTelemetryService(serviceName))
                .WithMetrics(metrics => metrics.AddMeter(TelemetrySubscriptions.Meters))
                .WithTracing(tracing => tracing
                    .AddSource(TelemetrySubscriptions.ActivitySources)
                    .SetSampler(new HealthProbeSampler(new ParentBasedSampler(new AlwaysOnSampler()))))
                .UseOtlpExporter();
        });

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _sdk?.Dispose();
        _sdk = null;
    }
}
