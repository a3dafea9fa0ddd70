namespace DualCache.AppHost.Memcached;

/// <summary>
/// A memcached server, run as a container (<see cref="MemcachedResource"/>) or as a local process
/// (<see cref="MemcachedExecutableResource"/>). Either way its connection string is <c>host:port</c>, named after the
/// resource, so <c>WithReference</c>, <c>WaitFor</c>, the health check and the dashboard commands treat both alike.
/// </summary>
public interface IMemcachedResource : IResourceWithConnectionString, IResourceWithEndpoints, IResourceWithArgs, IResourceWithWaitSupport
{
    /// <summary>The name of the memcached endpoint.</summary>
    const string PrimaryEndpointName = "tcp";

    /// <summary>The endpoint clients connect to.</summary>
    EndpointReference PrimaryEndpoint { get; }
}
