namespace DualCache.Memcached;

/// <summary>
/// A client for one memcached role: a named group of servers over which keys are spread by consistent hashing.
/// Every key is accepted; keys memcached could not carry as-is are encoded on the way out. With
/// <see cref="MemcachedClientOptions.Replicas"/> of 2 or more, each key is kept on that many servers of the ring, and a
/// server that dies or comes back empty loses no key.
/// </summary>
public interface IMemcachedClient
{
    /// <summary>The role name (<c>cache</c>, <c>sessions</c>): the connection-string name and the <c>memcached.client</c> metric tag.</summary>
    string Name { get; }

    /// <summary>The servers of this role, in configuration order.</summary>
    IReadOnlyList<MemcachedEndPoint> Servers { get; }

    /// <summary>Reads a value; <see langword="null"/> on a miss.</summary>
    ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Reads a value with its client flags and CAS token; <see langword="null"/> on a miss.</summary>
    ValueTask<MemcachedItem?> GetItemAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Reads a value and resets its expiry in the same round trip (<c>mg</c> with <c>T</c>).</summary>
    ValueTask<MemcachedItem?> GetAndTouchAsync(string key, TimeSpan? expiry, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads many keys, pipelined: one batch per server, one round trip each. Misses are absent from the result.
    /// If any server holding some of the keys cannot answer, the call fails with that error rather than returning a
    /// partial result that would look like misses.
    /// </summary>
    Task<IReadOnlyDictionary<string, MemcachedItem>> GetManyAsync(IEnumerable<string> keys, CancellationToken cancellationToken = default);

    /// <summary>Stores a value unconditionally. <paramref name="expiry"/> <see langword="null"/> or zero means no expiry.</summary>
    ValueTask SetAsync(string key, ReadOnlyMemory<byte> value, TimeSpan? expiry = null, uint flags = 0, CancellationToken cancellationToken = default);

    /// <summary>Stores a value only if the key does not exist yet: <see cref="StoreResult.AlreadyExists"/> otherwise.</summary>
    ValueTask<StoreResult> AddAsync(string key, ReadOnlyMemory<byte> value, TimeSpan? expiry = null, uint flags = 0, CancellationToken cancellationToken = default);

    /// <summary>Stores a value only if the key exists: <see cref="StoreResult.NotFound"/> otherwise.</summary>
    ValueTask<StoreResult> ReplaceAsync(string key, ReadOnlyMemory<byte> value, TimeSpan? expiry = null, uint flags = 0, CancellationToken cancellationToken = default);

    /// <summary>Stores a value only if the item still has the CAS token read earlier.</summary>
    ValueTask<StoreResult> CompareAndSwapAsync(string key, ReadOnlyMemory<byte> value, ulong cas, TimeSpan? expiry = null, uint flags = 0, CancellationToken cancellationToken = default);

    /// <summary>Removes a key; <see langword="false"/> when it did not exist.</summary>
    ValueTask<bool> DeleteAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Resets a key's expiry without reading it; <see langword="false"/> when it did not exist.</summary>
    ValueTask<bool> TouchAsync(string key, TimeSpan? expiry, CancellationToken cancellationToken = default);

    /// <summary>Adds <paramref name="delta"/> to a decimal counter. With <paramref name="initialValue"/> a missing counter is created with that value; without it a miss returns <see langword="null"/>.</summary>
    ValueTask<ulong?> IncrementAsync(string key, ulong delta = 1, ulong? initialValue = null, TimeSpan? expiry = null, CancellationToken cancellationToken = default);

    /// <summary>Subtracts <paramref name="delta"/> from a decimal counter, stopping at zero.</summary>
    ValueTask<ulong?> DecrementAsync(string key, ulong delta = 1, ulong? initialValue = null, TimeSpan? expiry = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Invalidates every item on every server of this role. memcached flushes whole servers, so a role that shares a
    /// server with another (single-server mode) flushes that role's items too.
    /// </summary>
    Task FlushAllAsync(CancellationToken cancellationToken = default);

    /// <summary>The <c>stats</c> of every server; a server that cannot answer is reported with its error, not thrown.</summary>
    Task<IReadOnlyList<MemcachedServerStats>> GetStatsAsync(CancellationToken cancellationToken = default);

    /// <summary>The <c>version</c> of every server; a server that cannot answer is reported with its error, not thrown.</summary>
    Task<IReadOnlyList<MemcachedServerVersion>> GetVersionsAsync(CancellationToken cancellationToken = default);
}
