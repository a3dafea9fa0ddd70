using DualCache.Memcached.Protocol;

namespace DualCache.Memcached.Connections;

/// <summary>What a meta command's response said, copied out of the receive buffer.</summary>
internal readonly record struct MetaResult(ResponseKind Kind, byte[]? Value, uint ClientFlags, ulong Cas, long Ttl)
{
    public bool IsHit => Kind is ResponseKind.Value or ResponseKind.Header;
}
