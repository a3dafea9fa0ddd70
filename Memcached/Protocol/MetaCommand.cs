namespace DualCache.Memcached.Protocol;

/// <summary>The meta commands that carry a key.</summary>
internal enum MetaCommand : byte
{
    Get,
    Set,
    Delete,
    Arithmetic,
}
