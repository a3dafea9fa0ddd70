namespace DualCache.Memcached;

/// <summary>
/// memcached's expiry rule: up to 30 days is relative seconds, anything longer must be an absolute unix time, which
/// memcached keeps in a signed 32-bit number.
/// </summary>
internal static class Expiry
{
    public const long MaxRelativeSeconds = 60 * 60 * 24 * 30;

    /// <summary>The expiry that gives a copy what is left of an item's lifetime, from <c>mg</c>'s <c>t</c> (-1 for none).</summary>
    public static TimeSpan? Remaining(long ttlSeconds) =>
        // 0 left is about to expire, and must not become "never" on the copy.
        ttlSeconds < 0 ? null : TimeSpan.FromSeconds(Math.Max(1, ttlSeconds));

    /// <summary>The TTL token to send; 0 means "never expires".</summary>
    public static long ToWire(TimeSpan? expiry, TimeProvider time)
    {
        if (expiry is not { } value || value == TimeSpan.Zero)
        {
            return 0;
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero, nameof(expiry));

        // Round up: a sub-second expiry must not become 0, which would mean "never".
        var seconds = (long)Math.Ceiling(value.TotalSeconds);
        // Capped at 2038-01-19: memcached takes a later time for one long past, stores the item already expired, and
        // answers that it stored it, with the key's previous value gone.
        return seconds <= MaxRelativeSeconds ? seconds : Math.Min(time.GetUtcNow().ToUnixTimeSeconds() + seconds, int.MaxValue);
    }
}
