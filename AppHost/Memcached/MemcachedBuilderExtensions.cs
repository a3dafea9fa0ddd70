namespace DualCache.AppHost.Memcached;

/// <summary>Adds memcached servers to the AppHost, as containers or as local processes.</summary>
public static class MemcachedBuilderExtensions
{
    /// <summary>
    /// Adds memcached in a container (<c>docker.io/library/memcached:1.6</c>). <paramref name="name"/> is also the
    /// connection-string name a referencing project reads (<c>ConnectionStrings:{name}</c> = <c>host:port</c>).
    /// </summary>
    /// <param name="port">The host port; a free one is picked when <see langword="null"/>.</param>
    public static IResourceBuilder<MemcachedResource> AddMemcached(
        this IDistributedApplicationBuilder builder,
        [ResourceName] string name,
        int? port = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);

        return builder.AddResource(new MemcachedResource(name))
            .WithImage(MemcachedContainerImageTags.Image, MemcachedContainerImageTags.Tag)
            .WithImageRegistry(MemcachedContainerImageTags.Registry)
            .WithEndpoint(port: port, targetPort: MemcachedResource.ContainerPort, name: IMemcachedResource.PrimaryEndpointName)
            .WithVersionHealthCheck()
            .WithDashboardCommands();
    }

    /// <summary>
    /// Adds memcached as a local process: the <c>memcached</c> binary on PATH, listening on 127.0.0.1 only, on a
    /// port the orchestrator picks. Same connection-string name, health check and commands as <see cref="AddMemcached"/>.
    /// </summary>
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
            .WithVersionHealthCheck()
            .WithDashboardCommands();
    }
}
