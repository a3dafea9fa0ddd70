using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DualCache.AppHost.Memcached;

/// <summary>Adds memcached servers to the AppHost, as containers or as local processes.</summary>
public static class MemcachedBuilderExtensions
{
    /// <summary>
    /// Adds memcached in a container, from <paramref name="image"/> (default: the official <c>memcached:1.6</c>).
    /// <paramref name="name"/> is also the connection-string name a referencing project reads
    /// (<c>ConnectionStrings:{name}</c> = <c>host:port</c>). The resource is healthy once it answers <c>version</c>.
    /// </summary>
    /// <param name="builder">The AppHost's builder.</param>
    /// <param name="name">The resource name.</param>
    /// <param name="port">The host port; a free one is picked when <see langword="null"/>.</param>
    /// <param name="image">The image; a machine without a registry builds one with <c>AppHost/memcached-image/build.sh</c>.</param>
    public static IResourceBuilder<MemcachedResource> AddMemcached(
        this IDistributedApplicationBuilder builder,
        [ResourceName] string name,
        int? port = null,
        MemcachedContainerImage? image = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        image ??= MemcachedContainerImage.Official;

        var memcached = builder.AddResource(new MemcachedResource(name))
            .WithImage(image.Image, image.Tag)
            .WithEndpoint(port: port, targetPort: MemcachedResource.ContainerPort, name: IMemcachedResource.PrimaryEndpointName);
        if (image.Registry is not null)
        {
            memcached.WithImageRegistry(image.Registry);
        }

        return memcached.WithMemcachedDefaults();
    }

    /// <summary>
    /// Adds memcached as a local process: the <c>memcached</c> binary on PATH, listening on 127.0.0.1 only, on a
    /// port the orchestrator picks. Same connection-string name, health check and commands as <see cref="AddMemcached"/>.
    /// </summary>
    /// <param name="builder">The AppHost's builder.</param>
    /// <param name="name">The resource name.</param>
    /// <param name="port">The port clients connect to (the orchestrator's proxy); a free one is picked when <see langword="null"/>.</param>
    public static IResourceBuilder<MemcachedExecutableResource> AddMemcachedExecutable(
        this IDistributedApplicationBuilder builder,
        [ResourceName] string name,
        int? port = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);

        var memcached = new MemcachedExecutableResource(name, builder.AppHostDirectory);
        return builder.AddResource(memcached)
            .WithEndpoint(IMemcachedResource.PrimaryEndpointName, endpoint =>
            {
                endpoint.Port = port;
                endpoint.TargetHost = MemcachedExecutableResource.ListenAddress;
            })
            .WithArgs(context =>
            {
                // memcached refuses to start as root unless told which user to run as (as in a dev container).
                if (Environment.UserName == "root")
                {
                    context.Args.Add("-u");
                    context.Args.Add("root");
                }

                context.Args.Add("-l");
                context.Args.Add(MemcachedExecutableResource.ListenAddress);
                context.Args.Add("-p");
                context.Args.Add(memcached.PrimaryEndpoint.Property(EndpointProperty.TargetPort));
            })
            .WithMemcachedDefaults();
    }

    /// <summary>What both kinds share: the icon, and the health check that captures the connection string once.</summary>
    private static IResourceBuilder<T> WithMemcachedDefaults<T>(this IResourceBuilder<T> builder)
        where T : IMemcachedResource
    {
        var resource = builder.Resource;
        var services = builder.ApplicationBuilder.Services;
        services.TryAddSingleton<MemcachedResourceClients>();

        builder.ApplicationBuilder.Eventing.Subscribe<ConnectionStringAvailableEvent>(resource, async (@event, cancellationToken) =>
        {
            var connectionString = await resource.ConnectionStringExpression.GetValueAsync(cancellationToken)
                ?? throw new DistributedApplicationException($"The connection string of '{resource.Name}' was announced but is empty.");
            @event.Services.GetRequiredService<MemcachedResourceClients>().ConnectionStringAvailable(resource, connectionString);
        });

        var healthCheckKey = $"{resource.Name}_check";
        services.AddHealthChecks().Add(new HealthCheckRegistration(
            healthCheckKey,
            provider => new MemcachedHealthCheck(resource, provider.GetRequiredService<MemcachedResourceClients>()),
            failureStatus: null,
            tags: null));

        return builder
            .WithHealthCheck(healthCheckKey)
            .WithIconName("DatabaseLightning");
    }
}
