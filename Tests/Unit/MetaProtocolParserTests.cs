using System.Text;
using DualCache.Memcached;
using DualCache.Memcached.Protocol;

namespace DualCache.Tests.Unit;

public class MetaProtocolParserTests
{
    public static TheoryData<string, string, string, string> Responses => new()
    {
        { "VA 5 f30 c99\r\nhello\r\n", nameof(ResponseKind.Value), "f30 c99", "hello" },
        { "VA 0\r\n\r\n", nameof(ResponseKind.Value), "", "" },
        { "VA 4 t-1\r\na\r\nb\r\n", nameof(ResponseKind.Value), "t-1", "a\r\nb" },
        { "HD\r\n", nameof(ResponseKind.Header), "", "" },
        { "HD c12 f7\r\n", nameof(ResponseKind.Header), "c12 f7", "" },
        { "EN\r\n", nameof(ResponseKind.Miss), "", "" },
        { "NF\r\n", nameof(ResponseKind.NotFound), "", "" },
        { "NS\r\n", nameof(ResponseKind.NotStored), "", "" },
        { "EX\r\n", nameof(ResponseKind.Exists), "", "" },
        { "MN\r\n", nameof(ResponseKind.NoOp), "", "" },
        { "OK\r\n", nameof(ResponseKind.Ok), "", "" },
        { "STORED\r\n", nameof(ResponseKind.Stored), "", "" },
        { "STAT curr_items 42\r\n", nameof(ResponseKind.Stat), "curr_items 42", "" },
        { "END\r\n", nameof(ResponseKind.End), "", "" },
        { "VERSION 1.6.18\r\n", nameof(ResponseKind.Version), "1.6.18", "" },
        { "ERROR\r\n", nameof(ResponseKind.Error), "", "" },
        { "CLIENT_ERROR bad command line format\r\n", nameof(ResponseKind.ClientError), "bad command line format", "" },
        { "SERVER_ERROR out of memory storing object\r\n", nameof(ResponseKind.ServerError), "out of memory storing object", "" },
    };

    [Theory]
    [MemberData(nameof(Responses))]
    public void Every_response_type_is_recognised(string wire, string kindName, string arguments, string value)
    {
        var kind = Enum.Parse<ResponseKind>(kindName);
        var bytes = Encoding.ASCII.GetBytes(wire);

        Assert.True(MetaProtocolParser.TryParse(bytes, out var response, out var consumed, out _));

        Assert.Equal(kind, response.Kind);
        Assert.Equal(arguments, Encoding.ASCII.GetString(response.Arguments));
        Assert.Equal(value, Encoding.ASCII.GetString(response.Value));
        Assert.Equal(bytes.Length, consumed);
    }

    [Theory]
    [MemberData(nameof(Responses))]
    public void A_response_split_anywhere_waits_for_the_rest(string wire, string kindName, string arguments, string value)
    {
        var kind = Enum.Parse<ResponseKind>(kindName);
        var bytes = Encoding.ASCII.GetBytes(wire);
        for (var cut = 0; cut < bytes.Length; cut++)
        {
            Assert.False(MetaProtocolParser.TryParse(bytes.AsSpan(0, cut), out _, out var consumed, out var required), $"complete after {cut} of {bytes.Length} bytes");
            Assert.Equal(0, consumed);
            Assert.InRange(required, cut + 1, bytes.Length);
        }

        Assert.True(MetaProtocolParser.TryParse(bytes, out var response, out _, out _));
        Assert.Equal(kind, response.Kind);
        Assert.Equal(arguments, Encoding.ASCII.GetString(response.Arguments));
        Assert.Equal(value, Encoding.ASCII.GetString(response.Value));
    }

    [Fact]
    public void A_value_header_asks_for_the_whole_data_block_at_once()
    {
        var header = "VA 100000 f1\r\n"u8.ToArray();

        Assert.False(MetaProtocolParser.TryParse(header, out _, out _, out var required));

        Assert.Equal(header.Length + 100000 + 2, required);
    }

    [Fact]
    public void Several_pipelined_responses_parse_one_after_another()
    {
        var bytes = "VA 2 O1\r\nab\r\nEN\r\nHD O3\r\nMN\r\n"u8.ToArray();
        var kinds = new List<ResponseKind>();
        var offset = 0;
        while (offset < bytes.Length)
        {
            Assert.True(MetaProtocolParser.TryParse(bytes.AsSpan(offset), out var response, out var consumed, out _));
            kinds.Add(response.Kind);
            offset += consumed;
        }

        Assert.Equal([ResponseKind.Value, ResponseKind.Miss, ResponseKind.Header, ResponseKind.NoOp], kinds);
    }

    [Theory]
    [InlineData("XX\r\n")]
    [InlineData("HELLO\r\n")]
    [InlineData("VA\r\n")]
    [InlineData("VA abc\r\n")]
    [InlineData("VA -1\r\n")]
    [InlineData("VA 1x f1\r\n")]
    [InlineData("VA 2\r\nabc\r\n")]
    [InlineData("VA 99999999999\r\n")]
    [InlineData("HDX\r\n")]
    [InlineData("\r\n")]
    public void Malformed_responses_are_refused_with_a_clear_error(string wire)
    {
        var exception = Assert.Throws<MemcachedProtocolException>(() => MetaProtocolParser.TryParse(Encoding.ASCII.GetBytes(wire), out _, out _, out _));

        Assert.Contains("memcached sent", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_endless_line_is_refused_instead_of_buffered_forever()
    {
        var garbage = Encoding.ASCII.GetBytes(new string('x', MetaProtocolParser.MaxLineLength + 1));

        Assert.Throws<MemcachedProtocolException>(() => MetaProtocolParser.TryParse(garbage, out _, out _, out _));
    }

    [Fact]
    public void Return_flags_are_read_in_any_order()
    {
        var flags = "t-1 c123 f4294967295 O17"u8;

        Assert.Equal(4294967295UL, MetaFlags.GetUInt64(flags, (byte)'f'));
        Assert.Equal(123UL, MetaFlags.GetUInt64(flags, (byte)'c'));
        Assert.Equal(-1, MetaFlags.GetInt64(flags, (byte)'t', missing: 0));
        Assert.Equal(17, MetaFlags.GetInt64(flags, (byte)'O', missing: -1));
        Assert.Equal(-5, MetaFlags.GetInt64(flags, (byte)'k', missing: -5));
    }

    [Fact]
    public void A_flag_with_a_non_numeric_token_is_a_protocol_error() =>
        Assert.Throws<MemcachedProtocolException>(() => MetaFlags.GetUInt64("c12a"u8, (byte)'c'));
}
