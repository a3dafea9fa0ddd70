using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DualCache.AppHost.Memcached;

/// <summary>Registers <see cref="MemcachedVersionHealthCheck"/> with the AppHost and ties it to the resource.</summary>
internal static class MemcachedHealthCheckExtensions
{
    public static IResourceBuilder<T> WithVersionHealthCheck<T>(this IResourceBuilder<T> builder)
        where T : IMemcachedResource
    {
        var key = $"{builder.Resource.Name}_check";
        var resource = builder.Resource;
        builder.ApplicationBuilder.Services.AddHealthChecks()
            .Add(new HealthCheckRegistration(key, _ => new MemcachedVersionHealthCheck(resource), failureStatus: null, tags: null));

        return builder.WithHealthCheck(key);
    }
}
