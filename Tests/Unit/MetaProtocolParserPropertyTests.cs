using System.Text;
using DualCache.Memcached;
using DualCache.Memcached.Protocol;

namespace DualCache.Tests.Unit;

/// <summary>
/// The parser against generated input: protocol fragments in random order, mutated, and plain random bytes. Seeded,
/// so a failure names the seed that reproduces it.
/// </summary>
public class MetaProtocolParserPropertyTests
{
    private const int InputsPerSeed = 200;
    private const long ItemSizeMax = 1024 * 1024;

    private static readonly string[] Fragments =
    [
        "VA ", "HD", "EN", "NF", "NS", "EX", "MN", "OK", "STAT ", "END", "VERSION ", "STORED", "ERROR", "CLIENT_ERROR ", "SERVER_ERROR ",
        "\r\n", "\r\n", "\r\n", "\r", "\n", " ", " ", "0", "1", "2", "5", "17", "1048576", "1048577", "99999999999", "-1",
        "O17", "kfoo", "f30", "c99", "t-1", "b", "hello", "ab", "\0", "\u00ff",
    ];

    /// <summary>Bytes that would complete almost any response: a parser that read past its input would show it.</summary>
    private static readonly byte[] Tail = Encoding.ASCII.GetBytes("\r\nhello world\r\nEN\r\n" + new string('x', 64));

    public static TheoryData<int> Seeds => [.. Enumerable.Range(0, 50)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Any_bytes_parse_into_well_formed_responses_or_a_protocol_error_and_never_past_their_end(int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < InputsPerSeed; i++)
        {
            var input = Generate(random);
            var padded = new byte[input.Length + Tail.Length];
            input.CopyTo(padded, 0);
            Tail.CopyTo(padded, input.Length);

            var alone = Outcomes(input);
            var followed = Outcomes(padded.AsSpan(0, input.Length));

            Assert.Equal(alone, followed);
        }
    }

    [Theory]
    [InlineData(ItemSizeMax, false)]
    [InlineData(ItemSizeMax + 1, true)]
    [InlineData(MetaProtocolParser.UnknownLimitMaxValueLength + 1L, true)]
    public void An_announced_value_beyond_the_limit_is_refused_before_its_data_arrives(long announced, bool refused)
    {
        var header = Encoding.ASCII.GetBytes($"VA {announced} f0\r\n");
        var limit = announced > ItemSizeMax + 1 ? MetaProtocolParser.UnknownLimitMaxValueLength : ItemSizeMax;

        if (refused)
        {
            var error = Assert.Throws<MemcachedProtocolException>(() => MetaProtocolParser.TryParse(header, out _, out _, out _, limit));
            Assert.Contains($"item size limit of {limit}", error.Message, StringComparison.Ordinal);
        }
        else
        {
            Assert.False(MetaProtocolParser.TryParse(header, out _, out _, out var required, limit));
            Assert.Equal(header.Length + announced + 2, required);
        }
    }

    /// <summary>What parsing the whole input one response after another yields, as text; asserts each response is well formed.</summary>
    private static List<string> Outcomes(ReadOnlySpan<byte> input)
    {
        var outcomes = new List<string>();
        var offset = 0;
        while (true)
        {
            var rest = input[offset..];
            try
            {
                if (!MetaProtocolParser.TryParse(rest, out var response, out var consumed, out var required, ItemSizeMax))
                {
                    Assert.Equal(0, consumed);
                    Assert.InRange(required, rest.Length + 1, rest.Length + ItemSizeMax + MetaProtocolParser.MaxLineLength);
                    outcomes.Add($"needs {required}");
                    return outcomes;
                }

                Assert.InRange(consumed, 1, rest.Length);
                Assert.True(Enum.IsDefined(response.Kind));
                Assert.True(response.Kind == ResponseKind.Value || response.Value.IsEmpty);
                Assert.InRange(response.Value.Length, 0, Math.Min(ItemSizeMax, consumed));
                outcomes.Add($"{response.Kind} [{MetaProtocolParser.Printable(response.Arguments)}] [{MetaProtocolParser.Printable(response.Value)}] {consumed}");
                offset += consumed;
            }
            catch (MemcachedProtocolException exception)
            {
                outcomes.Add(exception.Message);
                return outcomes;
            }
        }
    }

    private static byte[] Generate(Random random)
    {
        if (random.Next(4) == 0)
        {
            var bytes = new byte[random.Next(0, 300)];
            random.NextBytes(bytes);
            return bytes;
        }

        var text = new StringBuilder();
        for (var count = random.Next(1, 16); count > 0; count--)
        {
            text.Append(Fragments[random.Next(Fragments.Length)]);
        }

        var input = Encoding.Latin1.GetBytes(text.ToString());
        for (var flips = random.Next(0, 3); flips > 0 && input.Length > 0; flips--)
        {
            input[random.Next(input.Length)] = (byte)random.Next(256);
        }

        return input;
    }
}
