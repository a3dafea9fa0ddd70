namespace DualCache.AppHost.Memcached;

/// <summary>memcached as a local process, found on PATH: for machines without a container runtime.</summary>
public sealed class MemcachedExecutableResource(string name, string workingDirectory)
    : ExecutableResource(name, "memcached", workingDirectory), IMemcachedResource
{
    /// <summary>The only address the process listens on.</summary>
    internal const string ListenAddress = "127.0.0.1";

    private EndpointReference? _primaryEndpoint;

    public EndpointReference PrimaryEndpoint => _primaryEndpoint ??= new(this, IMemcachedResource.PrimaryEndpointName);

    /// <summary><c>host:port</c>, the format DualCache.Memcached reads from <c>ConnectionStrings:{name}</c>.</summary>
    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{PrimaryEndpoint.Property(EndpointProperty.Host)}:{PrimaryEndpoint.Property(EndpointProperty.Port)}");
}
