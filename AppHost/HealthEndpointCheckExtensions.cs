using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DualCache.AppHost;

internal static class HealthEndpointCheckExtensions
{
    /// <summary>
    /// Checks the project's health endpoint and reports what it says, Degraded included (see
    /// <see cref="HealthEndpointCheck"/>); <c>WithHttpHealthCheck</c> would report Healthy for any 200.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithHealthEndpointCheck(this IResourceBuilder<ProjectResource> builder, string path, string endpointName = "http")
    {
        var endpoint = builder.Resource.GetEndpoint(endpointName);
        var key = $"{builder.Resource.Name}_{endpointName}_health";
        builder.ApplicationBuilder.Services.AddHealthChecks()
            .Add(new HealthCheckRegistration(key, _ => new HealthEndpointCheck(endpoint, path), failureStatus: null, tags: null));
        return builder.WithHealthCheck(key);
    }
}
