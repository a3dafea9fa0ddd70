namespace DualCache.Memcached;

/// <summary>
/// A role moving to new servers (<see cref="MemcachedClientOptions.MigrateFrom"/>): a read the new store misses is read
/// from the old one, copied over with its remaining lifetime and served, so that nobody notices the move. A hit on the
/// new store costs nothing more than without migration; without the setting this class is not used at all.
/// </summary>
/// <remarks>
/// The copy is made with <c>add</c>, so that a value written on the new store meanwhile stays, and read back from the
/// new store when the caller needs a CAS token: a compare-and-swap after a migrated read is decided by the new store.
/// The old entry is left to expire by itself. Deletes reach both stores, so that a removed key never comes back from
/// the old one. Every other write, arithmetic, flushes and statistics concern the new store only. A failure of the old
/// store on a miss is the caller's error, not a miss: a key not copied yet is unreachable, not gone.
/// </remarks>
internal sealed class MigratingMemcachedClient(IMemcachedClient current, MemcachedClient old) : IMemcachedClient, IAsyncDisposable
{
    public string Name => current.Name;

    public IReadOnlyList<MemcachedEndPoint> Servers => current.Servers;

    public async ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default) =>
        await current.GetAsync(key, cancellationToken) ?? (await CopyFromOldAsync(key, cancellationToken))?.Value;

    public async ValueTask<MemcachedItem?> GetItemAsync(string key, CancellationToken cancellationToken = default) =>
        await current.GetItemAsync(key, cancellationToken)
        ?? (await CopyFromOldAsync(key, cancellationToken) is { } copied
            ? await current.GetItemAsync(key, cancellationToken) ?? copied
            : null);

    public async ValueTask<MemcachedItem?> GetAndTouchAsync(string key, TimeSpan? expiry, CancellationToken cancellationToken = default) =>
        await current.GetAndTouchAsync(key, expiry, cancellationToken)
        ?? (await CopyFromOldAsync(key, cancellationToken) is { } copied
            ? await current.GetAndTouchAsync(key, expiry, cancellationToken) ?? copied
            : null);

    public async Task<IReadOnlyDictionary<string, MemcachedItem>> GetManyAsync(IEnumerable<string> keys, CancellationToken cancellationToken = default)
    {
        var distinct = keys.Distinct(StringComparer.Ordinal).ToList();
        var found = await current.GetManyAsync(distinct, cancellationToken);
        var missed = distinct.Where(key => !found.ContainsKey(key)).ToList();
        if (missed.Count == 0)
        {
            return found;
        }

        var results = new Dictionary<string, MemcachedItem>(found, StringComparer.Ordinal);
        var copies = await Task.WhenAll(missed.Select(key => GetItemAsync(key, cancellationToken).AsTask()));
        for (var i = 0; i < missed.Count; i++)
        {
            if (copies[i] is { } copied)
            {
                results[missed[i]] = copied;
            }
        }

        return results;
    }

    public ValueTask SetAsync(string key, ReadOnlyMemory<byte> value, TimeSpan? expiry = null, uint flags = 0, CancellationToken cancellationToken = default) =>
        current.SetAsync(key, value, expiry, flags, cancellationToken);

    public ValueTask<StoreResult> AddAsync(string key, ReadOnlyMemory<byte> value, TimeSpan? expiry = null, uint flags = 0, CancellationToken cancellationToken = default) =>
        current.AddAsync(key, value, expiry, flags, cancellationToken);

    public ValueTask<StoreResult> ReplaceAsync(string key, ReadOnlyMemory<byte> value, TimeSpan? expiry = null, uint flags = 0, CancellationToken cancellationToken = default) =>
        current.ReplaceAsync(key, value, expiry, flags, cancellationToken);

    public ValueTask<StoreResult> CompareAndSwapAsync(string key, ReadOnlyMemory<byte> value, ulong cas, TimeSpan? expiry = null, uint flags = 0, CancellationToken cancellationToken = default) =>
        current.CompareAndSwapAsync(key, value, cas, expiry, flags, cancellationToken);

    public async ValueTask<bool> DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        var deleted = await Task.WhenAll(current.DeleteAsync(key, cancellationToken).AsTask(), old.DeleteAsync(key, cancellationToken).AsTask());
        return deleted[0] || deleted[1];
    }

    public async ValueTask<bool> TouchAsync(string key, TimeSpan? expiry, CancellationToken cancellationToken = default)
    {
        if (await current.TouchAsync(key, expiry, cancellationToken))
        {
            return true;
        }

        if (await CopyFromOldAsync(key, cancellationToken) is null)
        {
            return false;
        }

        // Then touched as a key already moved would be: no expiry means none, not what was left on the old store.
        await current.TouchAsync(key, expiry, cancellationToken);
        return true;
    }

    public ValueTask<ulong?> IncrementAsync(string key, ulong delta = 1, ulong? initialValue = null, TimeSpan? expiry = null, CancellationToken cancellationToken = default) =>
        current.IncrementAsync(key, delta, initialValue, expiry, cancellationToken);

    public ValueTask<ulong?> DecrementAsync(string key, ulong delta = 1, ulong? initialValue = null, TimeSpan? expiry = null, CancellationToken cancellationToken = default) =>
        current.DecrementAsync(key, delta, initialValue, expiry, cancellationToken);

    public Task FlushAllAsync(CancellationToken cancellationToken = default) => current.FlushAllAsync(cancellationToken);

    public Task<IReadOnlyList<MemcachedServerStats>> GetStatsAsync(CancellationToken cancellationToken = default) => current.GetStatsAsync(cancellationToken);

    public Task<IReadOnlyList<MemcachedServerVersion>> GetVersionsAsync(CancellationToken cancellationToken = default) => current.GetVersionsAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (current is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }

        await old.DisposeAsync();
    }

    /// <summary>
    /// Copies a key from the old store with its remaining lifetime and returns the old item; <see langword="null"/>
    /// when the old store misses too.
    /// </summary>
    private async Task<MemcachedItem?> CopyFromOldAsync(string key, CancellationToken cancellationToken)
    {
        if (await old.GetWithRemainingTtlAsync(key, cancellationToken) is not var (item, ttl))
        {
            return null;
        }

        await current.AddAsync(key, item.Value, Expiry.Remaining(ttl), item.Flags, cancellationToken);
        return item;
    }
}
