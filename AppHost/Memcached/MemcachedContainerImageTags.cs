namespace DualCache.AppHost.Memcached;

/// <summary>The official memcached image, fully qualified so that Podman needs no short-name resolution.</summary>
internal static class MemcachedContainerImageTags
{
    public const string Registry = "docker.io";

    public const string Image = "library/memcached";

    /// <summary>The 1.6 line: meta commands (<c>mg</c>, <c>ms</c>, ...) need 1.6.</summary>
    public const string Tag = "1.6";
}
