using DualCache.Memcached;

namespace DualCache.WebApp.Development;

/// <summary>A memcached process started for a role because none was configured.</summary>
public sealed record LocalMemcachedServer(string Role, LocalMemcached Server);
