namespace Microsoft.Extensions.Hosting;

/// <summary>
/// What every DualCache service gets: OpenTelemetry over OTLP and the default health checks.
/// The equivalent of Aspire's service-defaults template, written against the packages this repository can restore.
/// </summary>
public static class ServiceDefaultsExtensions
{
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);

        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();

        return builder;
    }
}
