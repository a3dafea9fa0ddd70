using DualCache.ServiceDefaults;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Logs;
using OpenTelemetry.Resources;

namespace Microsoft.Extensions.Hosting;

public static class OpenTelemetryExtensions
{
    private const string OtlpEndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";
    private const string ServiceNameSetting = "OTEL_SERVICE_NAME";
    private const string SuppressAspNetCoreActivityDataSwitch = "Microsoft.AspNetCore.Hosting.SuppressActivityOpenTelemetryData";

    /// <summary>
    /// Exports logs, metrics and traces over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the AppHost sets it
    /// to the dashboard). Without it nothing is registered: with no exporter, collecting would be work for nobody.
    /// </summary>
    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);

        if (string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointSetting]))
        {
            return builder;
        }

        var serviceName = builder.Configuration[ServiceNameSetting] is { Length: > 0 } configured
            ? configured
            : builder.Environment.ApplicationName;

        // Logs go through the host's logging, which owns and disposes the provider.
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
            logging.SetResourceBuilder(ResourceBuilder.CreateDefault().AddTelemetryService(serviceName));
            logging.AddOtlpExporter();
        });

        // ASP.NET Core 10 tags its request activity (method, url.path, server address) only with this switch off;
        // without OpenTelemetry.Instrumentation.AspNetCore those tags are all a request span carries, and the health
        // probe sampler needs url.path. It is read when the host is built, so setting it here is in time. An app that
        // set the switch itself keeps its choice.
        if (!AppContext.TryGetSwitch(SuppressAspNetCoreActivityDataSwitch, out _))
        {
            AppContext.SetSwitch(SuppressAspNetCoreActivityDataSwitch, false);
        }

        // Metrics and traces: OpenTelemetry.Extensions.Hosting is not available, so a hosted service owns them.
        builder.Services.AddHostedService(services => new OpenTelemetryService(
            serviceName, services.GetRequiredService<IConfiguration>()));

        return builder;
    }
}
