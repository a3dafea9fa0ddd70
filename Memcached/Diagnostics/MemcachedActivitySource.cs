using System.Diagnostics;

namespace DualCache.Memcached;

/// <summary>The <c>DualCache.Memcached</c> activity source: one client span per operation.</summary>
public static class MemcachedActivitySource
{
    public const string Name = "DualCache.Memcached";

    internal static ActivitySource Source { get; } = new(Name);
}
