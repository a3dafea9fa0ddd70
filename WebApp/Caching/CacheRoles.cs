using System.Net;
using System.Net.Sockets;
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
    public IReadOnlyList<MemcachedEndPoint> SharedServers { get; } = Shared(cache.Servers, sessions.Servers);

    public IMemcachedClient? Find(string name) => All.FirstOrDefault(client => client.Name == name);

    public string KeyPrefix(string name) => options.Get(name).KeyPrefix;

    /// <summary>What a role holds, in words for the caches page.</summary>
    public static string Describe(string name) => name == Cache
        ? "Objects: the product catalog, read cache-aside"
        : "Sessions (carts) and sign-in tickets";

    /// <summary>
    /// The servers of <paramref name="first"/> that <paramref name="second"/> uses too: the same port and an address in
    /// common, so that <c>localhost</c>, <c>127.0.0.1</c> and a DNS alias are one server. Each host is resolved once, at
    /// start; a host that does not resolve is compared as written.
    /// </summary>
    internal static IReadOnlyList<MemcachedEndPoint> Shared(IReadOnlyList<MemcachedEndPoint> first, IReadOnlyList<MemcachedEndPoint> second)
    {
        var addresses = first.Concat(second)
            .Select(server => server.Host)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToDictionary(host => host, AddressesOf, StringComparer.OrdinalIgnoreCase);
        return [.. first.Where(a => second.Any(b => a.Port == b.Port && addresses[a.Host].Overlaps(addresses[b.Host])))];
    }

    private static HashSet<string> AddressesOf(string host)
    {
        IPAddress[] resolved;
        try
        {
            resolved = Dns.GetHostAddresses(host);
        }
        catch (Exception exception) when (exception is SocketException or ArgumentException)
        {
            // Not in DNS (yet), or not a name DNS takes: the client reports that server as down; here it is its name.
            resolved = [];
        }

        return resolved.Length > 0
            ? new HashSet<string>(resolved.Select(address => address.ToString()), StringComparer.OrdinalIgnoreCase)
            : new HashSet<string>([host], StringComparer.OrdinalIgnoreCase);
    }
}
