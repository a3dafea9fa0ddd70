using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

public static class OpenTelemetryExtensions
{
    private const string OtlpEndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";
    private const string ServiceNameSetting = "OTEL_SERVICE_NAME";

    /// <summary>The meter and activity source of the memcached client library (<c>DualCache.Memcached</c>).</summary>
    private const string MemcachedTelemetryName = "DualCache.Memcached";

    /// <summary>
    /// Logs, metrics and traces: ASP.NET Core, HttpClient, the runtime and the memcached client. They are exported over
    /// OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> has a value (the AppHost sets it to the dashboard); set but blank
    /// counts as unset, so that a host can turn export off by blanking the variable.
    /// </summary>
    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);

        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        // Named after the application unless OTEL_SERVICE_NAME says otherwise. No instance id is generated: the AppHost
        // passes service.instance.id in OTEL_RESOURCE_ATTRIBUTES, and the dashboard matches telemetry to its resource by it.
        var serviceName = builder.Configuration[ServiceNameSetting] is { Length: > 0 } configured
            ? configured
            : builder.Environment.ApplicationName;

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName, autoGenerateServiceInstanceId: false))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(MemcachedTelemetryName))
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName, MemcachedTelemetryName)
                // Health probes arrive every few seconds from the AppHost and load balancers; their traces (and the
                // memcached calls of their checks, children of a dropped span) would bury those of real requests.
                .AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.Filter = context => !IsHealthProbe(context.Request.Path))
                .AddHttpClientInstrumentation());

        if (!string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointSetting]))
        {
            telemetry.UseOtlpExporter();

            // Marked for evaluation, but the documented way to take one client out of ConfigureHttpClientDefaults.
#pragma warning disable EXTEXP0001
            builder.Services.AddHttpClient(MetricExporterHttpClient).RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        }

        return builder;
    }

    /// <summary>
    /// Over http/protobuf the OTLP metrics exporter takes this named HttpClient from the app's factory, and with it the
    /// standard resilience handler that <see cref="ServiceDefaultsExtensions.AddServiceDefaults"/> gives every client
    /// for its calls to other services. Its retries and 30 s budget would hold the periodic export behind one slow or
    /// failing collector, with nothing newer leaving meanwhile: against a collector answering 503 at a 500 ms interval,
    /// 7 exports in 12 s, each sent again, instead of 22 (a throwaway test host, 15:58 UTC, load about 3).
    /// A metrics export is cumulative, so the next one replaces a missed one. The trace and log exporters keep the
    /// handler: a batch they fail to send is lost, and a retry is worth its wait.
    /// </summary>
    private const string MetricExporterHttpClient = "OtlpMetricExporter";

    private static bool IsHealthProbe(PathString path) =>
        path.StartsWithSegments(HealthCheckExtensions.HealthEndpointPath) ||
        path.StartsWithSegments(HealthCheckExtensions.AlivenessEndpointPath);
}
