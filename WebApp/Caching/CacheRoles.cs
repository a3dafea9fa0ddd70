using DualCache.Memcached;
using Microsoft.Extensions.Options;

namespace DualCache.WebApp.Caching;

/// <summary>The two memcached roles of the app: <c>cache</c> for objects and <c>sessions</c> for sessions and sign-in tickets.</summary>
public sealed class CacheRoles(
    [FromKeyedServices(CacheRoles.Cache)] IMemcachedClient cache,
    [FromKeyedServices(CacheRoles.Sessions)] IMemcachedClient sessions,
    IOptionsMonitor<MemcachedClientOptions> options)
{
    public const string Cache = "cache";
    public const string Sessions = "sessions";

    public IReadOnlyList<IMemcachedClient> All { get; } = [cache, sessions];

    /// <summary>
    /// Servers that both roles use. With any, the key prefixes keep the roles apart for reads and writes, but a flush
    /// of either role empties that server for both: flushing the object cache signs everybody out.
    /// </summary>
    public IReadOnlyList<MemcachedEndPoint> SharedServers { get; } = [.. cache.Servers.Intersect(sessions.Servers)];

    public IMemcachedClient? Find(string name) => All.FirstOrDefault(client => client.Name == name);

    public string KeyPrefix(string name) => options.Get(name).KeyPrefix;

    /// <summary>What a role holds, in words for the caches page.</summary>
    public static string Describe(string name) => name == Cache
        ? "Objects: the product catalog, read cache-aside"
        : "Sessions (carts) and sign-in tickets";
}
