using System.Globalization;

namespace DualCache.AppHost.Memcached;

/// <summary>memcached's own limits, passed as its command-line options; the same for a container and a process.</summary>
public static class MemcachedServerSettingsExtensions
{
    /// <summary>Memory for items, in megabytes (<c>-m</c>; memcached's default is 64). Least recently used items are evicted beyond it.</summary>
    public static IResourceBuilder<T> WithMemoryLimit<T>(this IResourceBuilder<T> builder, int megabytes)
        where T : IMemcachedResource
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentOutOfRangeException.ThrowIfLessThan(megabytes, 1);

        return builder.WithArgs("-m", megabytes.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// The largest item, in megabytes (<c>-I</c>; default 1, at most 1024). memcached refuses a size over half the
    /// memory limit.
    /// </summary>
    public static IResourceBuilder<T> WithMaxItemSize<T>(this IResourceBuilder<T> builder, int megabytes)
        where T : IMemcachedResource
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentOutOfRangeException.ThrowIfLessThan(megabytes, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(megabytes, 1024);

        return builder.WithArgs("-I", megabytes.ToString(CultureInfo.InvariantCulture) + "m");
    }

    /// <summary>The most simultaneous connections (<c>-c</c>; default 1024).</summary>
    public static IResourceBuilder<T> WithConnectionLimit<T>(this IResourceBuilder<T> builder, int connections)
        where T : IMemcachedResource
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentOutOfRangeException.ThrowIfLessThan(connections, 1);

        return builder.WithArgs("-c", connections.ToString(CultureInfo.InvariantCulture));
    }
}
