namespace DualCache.Memcached;

/// <summary>How to start a local memcached process.</summary>
public sealed record LocalMemcachedOptions
{
    /// <summary>The memcached binary; found on PATH when not a path.</summary>
    public string ExecutablePath { get; init; } = "memcached";

    /// <summary>The loopback port; 0 picks a free one.</summary>
    public int Port { get; init; }

    public int MemoryLimitMegabytes { get; init; } = 64;

    /// <summary>Further arguments, each its own element (for example <c>["-I", "2m"]</c> or <c>["-Y", authFile]</c>).</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
