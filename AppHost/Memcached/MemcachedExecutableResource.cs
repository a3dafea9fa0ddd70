namespace DualCache.AppHost.Memcached;

/// <summary>memcached as a local process, found on PATH: for machines without a container runtime.</summary>
/// <param name="name">The resource name, which is also the connection-string name.</param>
/// <param name="workingDirectory">The process's working directory.</param>
public sealed class MemcachedExecutableResource(string name, string workingDirectory)
    : ExecutableResource(name, "memcached", workingDirectory), IMemcachedResource
{
    /// <summary>The only address the process listens on.</summary>
    internal const string ListenAddress = "127.0.0.1";

    private EndpointReference? _primaryEndpoint;

    /// <inheritdoc />
    public EndpointReference PrimaryEndpoint => _primaryEndpoint ??= new(this, IMemcachedResource.PrimaryEndpointName);

    /// <summary><c>host:port</c>, as DualCache.Memcached reads it from <c>ConnectionStrings:{name}</c>.</summary>
    public ReferenceExpression ConnectionStringExpression => MemcachedConnectionString.For(PrimaryEndpoint);

    IEnumerable<KeyValuePair<string, ReferenceExpression>> IResourceWithConnectionString.GetConnectionProperties() =>
        MemcachedConnectionString.Properties(PrimaryEndpoint);
}
