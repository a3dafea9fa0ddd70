namespace DualCache.Memcached;

/// <summary>The server sent something the protocol does not allow; the connection it came on is closed.</summary>
public sealed class MemcachedProtocolException : MemcachedException
{
    public MemcachedProtocolException()
    {
    }

    public MemcachedProtocolException(string message)
        : base(message)
    {
    }

    public MemcachedProtocolException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
