namespace DualCache.Memcached;

/// <summary>A value read from memcached with its client flags and CAS token.</summary>
public readonly record struct MemcachedItem(byte[] Value, uint Flags, ulong Cas);
