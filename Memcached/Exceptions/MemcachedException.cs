namespace DualCache.Memcached;

/// <summary>The base of every error this client raises.</summary>
public class MemcachedException : Exception
{
    public MemcachedException()
    {
    }

    public MemcachedException(string message)
        : base(message)
    {
    }

    public MemcachedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
