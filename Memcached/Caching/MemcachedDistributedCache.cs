using System.Buffers;
using System.Buffers.Binary;
using Microsoft.Extensions.Caching.Distributed;

namespace DualCache.Memcached;

/// <summary>
/// <see cref="IDistributedCache"/> over one memcached role, with sliding expiration in one round trip.
/// </summary>
/// <remarks>
/// An entry's sliding window travels in its client flags and its absolute expiry in a 9-byte header before the value.
/// A read must name the new TTL in the same <c>mg</c> that fetches the value, before it has seen the entry, so it
/// uses the sliding window this cache last saw: apps use one window per cache (the session idle timeout), so the
/// guess is right and the read is one <c>mg ... T</c>. When the entry says otherwise, one more touch sets the TTL the
/// entry asked for. An absolute expiry is enforced on read: a touch may keep an expired entry in memory a little
/// longer, but never makes it readable.
/// No side keys, and no read-then-touch pairs.
/// </remarks>
public sealed class MemcachedDistributedCache(MemcachedClient client, TimeProvider? timeProvider = null) : IBufferDistributedCache
{
    /// <summary>The client flags' top byte marks an entry written by this cache; the rest is the sliding window in seconds.</summary>
    private const uint Marker = 0xDC00_0000;
    private const uint SlidingMask = 0x00FF_FFFF;
    private const byte HeaderVersion = 1;
    private const int HeaderLength = 1 + sizeof(long);

    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private long _slidingHintSeconds;

    public byte[]? Get(string key) => GetAsync(key).GetAwaiter().GetResult();

    public async Task<byte[]?> GetAsync(string key, CancellationToken token = default)
    {
        var item = await ReadAsync(key, token);
        return item is { } found ? found.Value.AsSpan(HeaderLength).ToArray() : null;
    }

    public bool TryGet(string key, IBufferWriter<byte> destination) => TryGetAsync(key, destination).AsTask().GetAwaiter().GetResult();

    public async ValueTask<bool> TryGetAsync(string key, IBufferWriter<byte> destination, CancellationToken token = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (await ReadAsync(key, token) is not { } found)
        {
            return false;
        }

        destination.Write(found.Value.AsSpan(HeaderLength));
        return true;
    }

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => SetAsync(key, value, options).GetAwaiter().GetResult();

    public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        ArgumentNullException.ThrowIfNull(value);
        return SetAsync(key, new ReadOnlySequence<byte>(value), options, token).AsTask();
    }

    public void Set(string key, ReadOnlySequence<byte> value, DistributedCacheEntryOptions options) => SetAsync(key, value, options).AsTask().GetAwaiter().GetResult();

    public async ValueTask SetAsync(string key, ReadOnlySequence<byte> value, DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(options);
        var now = _time.GetUtcNow();
        var absolute = options.AbsoluteExpiration ?? (options.AbsoluteExpirationRelativeToNow is { } relative ? now + relative : null);
        if (absolute <= now)
        {
            throw new ArgumentOutOfRangeException(nameof(options), absolute, "The absolute expiration value must be in the future.");
        }

        var sliding = options.SlidingExpiration;
        if (sliding is { } window && (window <= TimeSpan.Zero || window.TotalSeconds > SlidingMask))
        {
            throw new ArgumentOutOfRangeException(nameof(options), window, $"The sliding expiration must be positive and at most {SlidingMask} seconds.");
        }

        var slidingSeconds = sliding is { } s ? (long)Math.Ceiling(s.TotalSeconds) : 0;
        var absoluteMilliseconds = absolute?.ToUnixTimeMilliseconds() ?? 0;
        var payload = new byte[HeaderLength + value.Length];
        payload[0] = HeaderVersion;
        BinaryPrimitives.WriteInt64LittleEndian(payload.AsSpan(1), absoluteMilliseconds);
        value.CopyTo(payload.AsSpan(HeaderLength));

        await client.SetAsync(key, payload, TtlFor(slidingSeconds, absoluteMilliseconds, now), Marker | (uint)slidingSeconds, token);
        if (slidingSeconds > 0)
        {
            Volatile.Write(ref _slidingHintSeconds, slidingSeconds);
        }
    }

    public void Refresh(string key) => RefreshAsync(key).GetAwaiter().GetResult();

    /// <summary>Slides an entry's expiry with one <c>mg ... f T</c> that leaves the value on the server.</summary>
    public async Task RefreshAsync(string key, CancellationToken token = default)
    {
        var hint = Volatile.Read(ref _slidingHintSeconds);
        if (hint == 0)
        {
            await ReadAsync(key, token);
            return;
        }

        // Only an entry whose own window differs from the guess needs the full read, which sets the TTL it asked for.
        if (await client.TouchAndGetFlagsAsync(key, TimeSpan.FromSeconds(hint), token) is { } flags &&
            (flags & ~SlidingMask) == Marker && (flags & SlidingMask) != hint)
        {
            await ReadAsync(key, token);
        }
    }

    public void Remove(string key) => RemoveAsync(key).GetAwaiter().GetResult();

    public async Task RemoveAsync(string key, CancellationToken token = default) => await client.DeleteAsync(key, token);

    /// <summary>Reads an entry and slides its expiry, in one round trip when the sliding window is the usual one.</summary>
    private async ValueTask<MemcachedItem?> ReadAsync(string key, CancellationToken token)
    {
        var hint = Volatile.Read(ref _slidingHintSeconds);
        var read = hint > 0 ? client.GetAndTouchAsync(key, TimeSpan.FromSeconds(hint), token) : client.GetItemAsync(key, token);
        if (await read is not { } item)
        {
            return null;
        }

        if ((item.Flags & ~SlidingMask) != Marker || item.Value.Length < HeaderLength || item.Value[0] != HeaderVersion)
        {
            // Not written by this cache (another client shares the key): a miss, not a crash.
            return null;
        }

        var now = _time.GetUtcNow();
        var absoluteMilliseconds = BinaryPrimitives.ReadInt64LittleEndian(item.Value.AsSpan(1));
        if (absoluteMilliseconds != 0 && absoluteMilliseconds <= now.ToUnixTimeMilliseconds())
        {
            // Only the expired value: a Set that came in between keeps its new one.
            await client.DeleteIfUnchangedAsync(key, item.Cas, token);
            return null;
        }

        var slidingSeconds = (long)(item.Flags & SlidingMask);
        if (slidingSeconds > 0)
        {
            Volatile.Write(ref _slidingHintSeconds, slidingSeconds);
        }

        var ttl = TtlFor(slidingSeconds, absoluteMilliseconds, now);
        var needsTouch = hint > 0 ? ttl != TimeSpan.FromSeconds(hint) : slidingSeconds > 0;
        if (needsTouch)
        {
            // The guess did not fit this entry (or there was none yet): set the TTL the entry asked for. Not cancelled
            // with the caller: the entry already carries the guessed TTL, which must not stay.
            await client.TouchAsync(key, ttl, CancellationToken.None);
        }

        return item;
    }

    private static TimeSpan? TtlFor(long slidingSeconds, long absoluteMilliseconds, DateTimeOffset now)
    {
        TimeSpan? untilAbsolute = absoluteMilliseconds == 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds(absoluteMilliseconds) - now;
        TimeSpan? sliding = slidingSeconds == 0 ? null : TimeSpan.FromSeconds(slidingSeconds);
        return (sliding, untilAbsolute) switch
        {
            ({ } s, { } a) => s < a ? s : a,
            ({ } s, null) => s,
            (null, { } a) => a,
            _ => null,
        };
    }
}
