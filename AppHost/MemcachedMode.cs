namespace DualCache.AppHost;

/// <summary>How the AppHost runs memcached, from <c>DualCache:MemcachedMode</c>.</summary>
public enum MemcachedMode
{
    /// <summary>Containers when a container runtime answers, else the <c>memcached</c> binary on PATH (the default).</summary>
    Auto,

    /// <summary>Containers under Docker or Podman, whether or not one answers at start.</summary>
    Container,

    /// <summary>The <c>memcached</c> binary on PATH, bound to 127.0.0.1: no container runtime needed.</summary>
    Executable,
}
