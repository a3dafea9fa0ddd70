namespace DualCache.Memcached;

/// <summary>A value is larger than the server's item size limit. It was not sent, so what the key held before is intact.</summary>
public sealed class MemcachedValueTooLargeException : MemcachedException
{
    public MemcachedValueTooLargeException()
    {
    }

    public MemcachedValueTooLargeException(string message)
        : base(message)
    {
    }

    public MemcachedValueTooLargeException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public MemcachedValueTooLargeException(string key, long size, long limit)
        : base($"The value for key '{key}' is {size} bytes; the server's item size limit leaves room for at most {limit} bytes with this key. Nothing was written.")
    {
        Key = key;
        Size = size;
        Limit = limit;
    }

    public string? Key { get; }

    public long Size { get; }

    public long Limit { get; }
}
