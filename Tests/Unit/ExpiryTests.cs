using DualCache.Memcached;

namespace DualCache.Tests.Unit;

public class ExpiryTests
{
    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private static readonly FixedTime Now = new(new DateTimeOffset(2026, 11, 21, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void No_expiry_is_zero() => Assert.Equal(0, Expiry.ToWire(null, Now));

    [Fact]
    public void Up_to_30_days_is_sent_as_relative_seconds() => Assert.Equal(2_592_000, Expiry.ToWire(TimeSpan.FromDays(30), Now));

    [Fact]
    public void Beyond_30_days_is_sent_as_an_absolute_unix_time() =>
        Assert.Equal(Now.GetUtcNow().ToUnixTimeSeconds() + 2_592_001, Expiry.ToWire(TimeSpan.FromSeconds(2_592_001), Now));

    [Fact]
    public void Beyond_2038_the_absolute_time_is_capped_at_memcacheds_32_bit_limit()
    {
        Assert.Equal(int.MaxValue, Expiry.ToWire(TimeSpan.FromDays(365 * 20), Now));
        Assert.Equal(int.MaxValue, Expiry.ToWire(TimeSpan.MaxValue, Now));
    }

    [Fact]
    public void A_sub_second_expiry_rounds_up_instead_of_meaning_never() => Assert.Equal(1, Expiry.ToWire(TimeSpan.FromMilliseconds(10), Now));

    [Fact]
    public void A_negative_expiry_is_refused() => Assert.Throws<ArgumentOutOfRangeException>(() => Expiry.ToWire(TimeSpan.FromSeconds(-1), Now));
}
