namespace DualCache.Memcached;

/// <summary>One server's <c>version</c>, or the error that kept it from answering.</summary>
public sealed record MemcachedServerVersion(MemcachedEndPoint EndPoint, string? Version, Exception? Error);
