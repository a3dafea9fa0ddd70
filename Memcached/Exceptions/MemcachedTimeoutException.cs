namespace DualCache.Memcached;

/// <summary>A request got no response in time; its connection was closed so that the late response can reach nobody.</summary>
public sealed class MemcachedTimeoutException : MemcachedException
{
    public MemcachedTimeoutException()
    {
    }

    public MemcachedTimeoutException(string message)
        : base(message)
    {
    }

    public MemcachedTimeoutException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
