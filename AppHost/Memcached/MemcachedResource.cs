namespace DualCache.AppHost.Memcached;

/// <summary>memcached in a container.</summary>
public sealed class MemcachedResource(string name) : ContainerResource(name), IMemcachedResource
{
    /// <summary>The port memcached listens on inside the container.</summary>
    internal const int ContainerPort = 11211;

    private EndpointReference? _primaryEndpoint;

    public EndpointReference PrimaryEndpoint => _primaryEndpoint ??= new(this, IMemcachedResource.PrimaryEndpointName);

    /// <summary><c>host:port</c>, the format DualCache.Memcached reads from <c>ConnectionStrings:{name}</c>.</summary>
    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{PrimaryEndpoint.Property(EndpointProperty.Host)}:{PrimaryEndpoint.Property(EndpointProperty.Port)}");
}
