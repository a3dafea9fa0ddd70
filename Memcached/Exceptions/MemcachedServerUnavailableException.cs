namespace DualCache.Memcached;

/// <summary>The server for a key cannot be reached (refused, reset, or marked dead and waiting for its retry).</summary>
public sealed class MemcachedServerUnavailableException : MemcachedException
{
    public MemcachedServerUnavailableException()
    {
    }

    public MemcachedServerUnavailableException(string message)
        : base(message)
    {
    }

    public MemcachedServerUnavailableException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
