namespace DualCache.AppHost.Memcached;

/// <summary>memcached in a container.</summary>
/// <param name="name">The resource name, which is also the connection-string name.</param>
public sealed class MemcachedResource(string name) : ContainerResource(name), IMemcachedResource
{
    /// <summary>The port memcached listens on inside the container.</summary>
    internal const int ContainerPort = 11211;

    private EndpointReference? _primaryEndpoint;

    /// <inheritdoc />
    public EndpointReference PrimaryEndpoint => _primaryEndpoint ??= new(this, IMemcachedResource.PrimaryEndpointName);

    /// <summary><c>host:port</c>, as DualCache.Memcached reads it from <c>ConnectionStrings:{name}</c>.</summary>
    public ReferenceExpression ConnectionStringExpression => MemcachedConnectionString.For(PrimaryEndpoint);

    IEnumerable<KeyValuePair<string, ReferenceExpression>> IResourceWithConnectionString.GetConnectionProperties() =>
        MemcachedConnectionString.Properties(PrimaryEndpoint);
}
