using DualCache.ServiceDefaults;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.Hosting;

public static class HealthCheckExtensions
{
    public const string HealthEndpointPath = "/health";
    public const string AlivenessEndpointPath = "/alive";

    private const string LiveTag = "live";

    /// <summary>
    /// Adds a <c>self</c> check tagged <c>live</c>: the process answers. Other checks (memcached) are added by their
    /// libraries; every one not tagged <c>live</c> answers from its last result for
    /// <c>HealthChecks:ResultCacheDuration</c> (2 s), so <c>/health</c> costs the servers at most one round trip each
    /// per window, however often it is hit.
    /// </summary>
    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);

        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);

        builder.Services.AddOptions<HealthCheckCacheOptions>()
            .BindConfiguration(HealthCheckCacheOptions.SectionName)
            .Validate(options => options.ResultCacheDuration >= TimeSpan.Zero, "HealthChecks:ResultCacheDuration must not be negative.")
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<HealthCheckResultCache>();

        // After every registration is known, whichever library added it; the framework has no result cache of its own.
        builder.Services.PostConfigure<HealthCheckServiceOptions>(options =>
        {
            foreach (var registration in options.Registrations.Where(registration => !registration.Tags.Contains(LiveTag)))
            {
                var create = registration.Factory;
                var name = registration.Name;
                registration.Factory = services => new CachedHealthCheck(
                    name, create, services.GetRequiredService<IServiceScopeFactory>(), services.GetRequiredService<HealthCheckResultCache>());
            }
        });

        return builder;
    }

    /// <summary>
    /// Maps <c>/health</c> (every check: 200 with <c>Healthy</c> or <c>Degraded</c>, 503 with <c>Unhealthy</c>) and
    /// <c>/alive</c> (only the checks tagged <c>live</c>).
    /// </summary>
    /// <remarks>
    /// Unlike the Aspire template, these are mapped in every environment, not only Development: the AppHost's
    /// <c>WithHttpHealthCheck</c>, the end-to-end tests and any load balancer need them whatever
    /// <c>ASPNETCORE_ENVIRONMENT</c> says. They answer only the overall status word, never a check's name, description
    /// or exception, so they give nothing away.
    /// </remarks>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        app.MapHealthChecks(HealthEndpointPath);
        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions
        {
            Predicate = registration => registration.Tags.Contains(LiveTag),
        });

        return app;
    }
}
