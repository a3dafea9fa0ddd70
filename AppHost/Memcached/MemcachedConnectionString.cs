namespace DualCache.AppHost.Memcached;

/// <summary>
/// The connection string both memcached resources share: <c>host:port</c>, the format DualCache.Memcached reads from
/// <c>ConnectionStrings:{name}</c> (several servers are comma-separated there).
/// </summary>
internal static class MemcachedConnectionString
{
    public static ReferenceExpression For(EndpointReference endpoint) =>
        ReferenceExpression.Create($"{endpoint.Property(EndpointProperty.HostAndPort)}");

    /// <summary>The parts a polyglot client or a manifest reads separately.</summary>
    public static IEnumerable<KeyValuePair<string, ReferenceExpression>> Properties(EndpointReference endpoint)
    {
        yield return new("Host", ReferenceExpression.Create($"{endpoint.Property(EndpointProperty.Host)}"));
        yield return new("Port", ReferenceExpression.Create($"{endpoint.Property(EndpointProperty.Port)}"));
    }
}
