namespace DualCache.Memcached;

/// <summary>memcached's expiry rule: up to 30 days is relative seconds, anything longer must be an absolute unix time.</summary>
internal static class Expiry
{
    public const long MaxRelativeSeconds = 60 * 60 * 24 * 30;

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
        return seconds <= MaxRelativeSeconds ? seconds : time.GetUtcNow().ToUnixTimeSeconds() + seconds;
    }
}
