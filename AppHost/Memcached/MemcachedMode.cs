namespace DualCache.AppHost.Memcached;

/// <summary>How the AppHost runs memcached, from <c>DualCache:MemcachedMode</c>.</summary>
public enum MemcachedMode
{
    /// <summary>The <c>memcached:1.6</c> image under Docker or Podman (the default).</summary>
    Container,

    /// <summary>The <c>memcached</c> binary on PATH, bound to 127.0.0.1: no container runtime needed.</summary>
    Executable,
}
