using System.Text;
using DualCache.Memcached;

namespace DualCache.Tests.Unit;

public class KeyEncodingTests
{
    private static (string Wire, bool Base64) Encode(string key, string prefix = "")
    {
        var buffer = new byte[KeyEncoding.MaxWireKeyLength];
        var length = new KeyEncoding(prefix).Encode(key, buffer, out var base64);
        return (Encoding.ASCII.GetString(buffer, 0, length), base64);
    }

    [Theory]
    [InlineData("product:42")]
    [InlineData("a")]
    [InlineData("!~{}")]
    public void Plain_keys_go_as_they_are(string key) => Assert.Equal((key, false), Encode(key));

    [Fact]
    public void The_prefix_is_part_of_the_key() => Assert.Equal(("cache:product:42", false), Encode("product:42", "cache:"));

    [Theory]
    [InlineData("with space")]
    [InlineData("tab\there")]
    [InlineData("new\r\nline")]
    [InlineData("")]
    [InlineData("café")]
    [InlineData("日本語のキー")]
    [InlineData("\0")]
    public void Odd_keys_are_sent_base64_encoded_and_fit_the_protocol(string key)
    {
        var (wire, base64) = Encode(key);

        Assert.True(base64);
        Assert.InRange(wire.Length, 1, KeyEncoding.MaxWireKeyLength);
        Assert.DoesNotContain(wire, c => c is ' ' or '\r' or '\n' || char.IsControl(c));
        Assert.Equal(0x01, Convert.FromBase64String(wire)[0]);
    }

    [Fact]
    public void A_key_at_250_bytes_is_plain_and_one_byte_more_is_hashed()
    {
        var at = new string('k', 250);

        Assert.Equal((at, false), Encode(at));
        var (wire, base64) = Encode(at + "k");
        Assert.True(base64);
        Assert.Equal(0x02, Convert.FromBase64String(wire)[0]);
    }

    [Fact]
    public void A_prefix_too_long_for_a_plain_key_makes_every_key_hashed_not_an_error()
    {
        var prefix = new string('p', 300);

        var (first, firstBase64) = Encode("a", prefix);
        var (second, _) = Encode("b", prefix);

        Assert.True(firstBase64);
        Assert.Equal(0x02, Convert.FromBase64String(first)[0]);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void Very_long_keys_are_hashed_to_a_fixed_length()
    {
        var (wire, base64) = Encode(new string('x', 100_000));

        Assert.True(base64);
        Assert.Equal(44, wire.Length);
    }

    [Fact]
    public void Strings_that_are_not_valid_UTF16_do_not_collide_with_their_replacement_character()
    {
        var loneSurrogate = Encode("a\uD800");
        var replacement = Encode("a\uFFFD");

        Assert.NotEqual(loneSurrogate, replacement);
        Assert.Equal(0x03, Convert.FromBase64String(loneSurrogate.Wire)[0]);
    }

    [Fact]
    public void No_two_distinct_keys_share_a_wire_key()
    {
        string[] keys =
        [
            "a b", "a_b", "a%20b", "YSBi", "AWEgYg==", "\u0001a b", "plain", "cGxhaW4=", "",
            new string('k', 250), new string('k', 251), new string('k', 252),
            new string('é', 92), new string('é', 93), new string('é', 200), "a\uD800", "a\uFFFD", "a\uDC00",
        ];

        var wires = keys.Select(k => Encode(k)).ToList();

        Assert.Equal(keys.Length, wires.Distinct().Count());
        foreach (var (wire, base64) in wires.Where(w => w.Base64))
        {
            // What memcached stores for a b-flag key is the decoded bytes; they always start with a marker below '!'.
            Assert.InRange(Convert.FromBase64String(wire)[0], (byte)0x01, (byte)0x04);
        }
    }

    [Fact]
    public void The_stored_length_of_a_base64_key_is_its_decoded_length()
    {
        Assert.Equal(1, KeyEncoding.StoredLength("AQ=="u8, base64: true));
        Assert.Equal(3, KeyEncoding.StoredLength("YWJj"u8, base64: true));
        Assert.Equal(4, KeyEncoding.StoredLength("abcd"u8, base64: false));
    }
}
