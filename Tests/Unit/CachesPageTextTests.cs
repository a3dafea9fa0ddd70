using DualCache.WebApp.Caches;

namespace DualCache.Tests.Unit;

public sealed class CachesPageTextTests
{
    [Theory]
    [InlineData(1, "second")]
    [InlineData(20, "20 seconds")]
    [InlineData(300, "5 minutes")]
    [InlineData(7200, "2 hours")]
    public void The_chart_caption_names_its_window_in_units_a_reader_expects(int seconds, string expected) =>
        Assert.Equal(expected, CachesPageText.Window(TimeSpan.FromSeconds(seconds)));

    [Theory]
    [InlineData(0, "0")]
    [InlineData(0.00004, "2")]
    [InlineData(0.5, "50")]
    public void A_memory_bar_with_anything_in_it_stays_visible(double used, string expected) =>
        Assert.Equal(expected, CachesPageText.BarWidth(used));

    [Theory]
    [InlineData(900, "900 B")]
    [InlineData(2662, "2.6 KiB")]
    [InlineData(67108864, "64.0 MiB")]
    public void Sizes_are_written_in_binary_units(long bytes, string expected) =>
        Assert.Equal(expected, CachesPageText.Size(bytes));
}
