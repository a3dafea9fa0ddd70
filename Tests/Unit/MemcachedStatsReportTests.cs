using System.Globalization;
using DualCache.Memcached;

namespace DualCache.Tests.Unit;

public class MemcachedStatsReportTests
{
    private static readonly MemcachedEndPoint First = new("127.0.0.1", 11211);
    private static readonly MemcachedEndPoint Second = new("127.0.0.1", 11212);

    [Fact]
    public void A_healthy_server_shows_version_uptime_items_memory_hit_ratio_evictions_and_connections()
    {
        var stats = Answering(First, new()
        {
            ["version"] = "1.6.38",
            ["uptime"] = "183845", // 2 days, 3 hours, 4 minutes, 5 seconds
            ["curr_items"] = "1234",
            ["bytes"] = "16777216",
            ["limit_maxbytes"] = "67108864",
            ["get_hits"] = "700",
            ["get_misses"] = "100",
            ["evictions"] = "3",
            ["curr_connections"] = "5",
        });

        var report = MemcachedStatsReport.Format("cache", [stats]);

        Assert.Equal(
            """
            memcached 'cache': 1 server, 1 answering

            127.0.0.1:11211
              version      1.6.38
              uptime       2d 3h 4m
              items        1,234
              memory       16.0 MiB of 64.0 MiB (25.0%)
              hit ratio    87.5% (700 hits, 100 misses)
              evictions    3
              connections  5

            """.ReplaceLineEndings(),
            report);
    }

    [Fact]
    public void A_server_that_did_not_answer_shows_its_error_and_is_not_counted_as_answering()
    {
        var down = new MemcachedServerStats(Second, new Dictionary<string, string>(), new MemcachedServerUnavailableException("Connection refused"));

        var report = MemcachedStatsReport.Format("sessions", [Answering(First, new() { ["version"] = "1.6.38" }), down]);

        Assert.StartsWith("memcached 'sessions': 2 servers, 1 answering", report, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:11212{Environment.NewLine}  error        Connection refused{Environment.NewLine}", report, StringComparison.Ordinal);
        Assert.Equal(1, Occurrences(report, "  version"));
    }

    [Fact]
    public void Servers_are_listed_in_configuration_order()
    {
        var report = MemcachedStatsReport.Format("cache", [Answering(Second, []), Answering(First, [])]);

        Assert.True(report.IndexOf("127.0.0.1:11212", StringComparison.Ordinal) < report.IndexOf("127.0.0.1:11211", StringComparison.Ordinal));
    }

    [Fact]
    public void A_server_with_no_reads_yet_says_so_instead_of_a_ratio()
    {
        var report = MemcachedStatsReport.Format("cache", [Answering(First, new() { ["get_hits"] = "0", ["get_misses"] = "0" })]);

        Assert.Contains("  hit ratio    no reads yet", report, StringComparison.Ordinal);
    }

    [Fact]
    public void Memory_without_a_reported_limit_shows_the_bytes_used_alone()
    {
        var report = MemcachedStatsReport.Format("cache", [Answering(First, new() { ["bytes"] = "512" })]);

        Assert.Contains("  memory       512 B (no limit reported)", report, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("59", "59s")]
    [InlineData("61", "1m 1s")]
    [InlineData("3720", "1h 2m")]
    [InlineData("90000", "1d 1h 0m")]
    public void Uptime_reads_in_its_largest_units(string seconds, string expected)
    {
        var report = MemcachedStatsReport.Format("cache", [Answering(First, new() { ["uptime"] = seconds })]);

        Assert.Contains($"  uptime       {expected}{Environment.NewLine}", report, StringComparison.Ordinal);
    }

    [Fact]
    public void The_text_does_not_depend_on_the_current_culture()
    {
        var stats = Answering(First, new() { ["curr_items"] = "1234567", ["bytes"] = "1572864", ["limit_maxbytes"] = "67108864" });
        var invariant = MemcachedStatsReport.Format("cache", [stats]);

        var original = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");
            Assert.Equal(invariant, MemcachedStatsReport.Format("cache", [stats]));
        }
        finally
        {
            CultureInfo.CurrentCulture = original;
        }

        Assert.Contains("  items        1,234,567", invariant, StringComparison.Ordinal);
        Assert.Contains("  memory       1.5 MiB of 64.0 MiB (2.3%)", invariant, StringComparison.Ordinal);
    }

    [Fact]
    public void A_role_with_no_servers_says_so()
    {
        Assert.Equal($"memcached 'cache': 0 servers, 0 answering{Environment.NewLine}", MemcachedStatsReport.Format("cache", []));
    }

    private static MemcachedServerStats Answering(MemcachedEndPoint endPoint, Dictionary<string, string> values) => new(endPoint, values, null);

    private static int Occurrences(string text, string value) =>
        text.Split(value).Length - 1;
}
