using DualCache.Memcached;

namespace DualCache.Tests.Unit;

public class MemcachedEndPointTests
{
    [Theory]
    [InlineData("localhost:11211", "localhost", 11211)]
    [InlineData("10.0.0.5:22122", "10.0.0.5", 22122)]
    [InlineData("cache", "cache", 11211)]
    [InlineData("[::1]:11311", "::1", 11311)]
    [InlineData(" memcached.internal:1 ", "memcached.internal", 1)]
    public void Valid_addresses_parse(string text, string host, int port)
    {
        Assert.True(MemcachedEndPoint.TryParse(text, out var endPoint));
        Assert.Equal(new MemcachedEndPoint(host, port), endPoint);
    }

    [Theory]
    [InlineData("")]
    [InlineData("host:")]
    [InlineData("host:0")]
    [InlineData("host:65536")]
    [InlineData("host:abc")]
    [InlineData("::1:11211")]
    [InlineData("[::1")]
    [InlineData("ho st:1")]
    public void Invalid_addresses_are_refused(string text) => Assert.False(MemcachedEndPoint.TryParse(text, out _));

    [Fact]
    public void A_list_names_the_piece_that_is_wrong()
    {
        Assert.False(MemcachedEndPoint.TryParseList("a:1,b:x,c:3", out _, out var error));
        Assert.Contains("'b:x'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_list_keeps_its_order_and_refuses_duplicates()
    {
        Assert.True(MemcachedEndPoint.TryParseList("b:2, a:1", out var endPoints, out _));
        Assert.Equal([new("b", 2), new("a", 1)], endPoints);
        Assert.False(MemcachedEndPoint.TryParseList("a:1,a:1", out _, out var error));
        Assert.Contains("twice", error, StringComparison.Ordinal);
    }

    [Fact]
    public void IPv6_addresses_print_with_brackets() => Assert.Equal("[::1]:11211", new MemcachedEndPoint("::1", 11211).ToString());
}
