using DualCache.Memcached;

namespace DualCache.Tests.Unit;

public class MemcachedServerStatsTests
{
    private static MemcachedServerStats Stats(params (string Name, string Value)[] values) =>
        new(new MemcachedEndPoint("localhost", 11211), values.ToDictionary(v => v.Name, v => v.Value), null);

    [Fact]
    public void Reads_that_slide_the_expiry_count_as_hits()
    {
        var stats = Stats(("get_hits", "10"), ("get_misses", "5"), ("touch_hits", "85"));

        Assert.Equal(95, stats.Hits);
        Assert.Equal(5, stats.Misses);
        Assert.Equal(0.95, stats.HitRatio!.Value, 3);
    }

    [Fact]
    public void A_server_nobody_read_from_has_no_hit_ratio() => Assert.Null(Stats(("get_hits", "0")).HitRatio);

    [Fact]
    public void Missing_or_odd_numbers_read_as_zero() => Assert.Equal(0, Stats(("curr_items", "lots")).CurrentItems);
}
