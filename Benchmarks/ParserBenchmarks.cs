using BenchmarkDotNet.Attributes;
using DualCache.Memcached;
using DualCache.Memcached.Protocol;

namespace DualCache.Benchmarks;

/// <summary>The pure CPU parts of an operation: parsing a response and encoding a key.</summary>
[MemoryDiagnoser]
public class ParserBenchmarks
{
    private readonly byte[] _value = "VA 100 f0 c12345\r\n"u8.ToArray().Concat(new byte[100]).Concat("\r\n"u8.ToArray()).ToArray();
    private readonly byte[] _keyBuffer = new byte[KeyEncoding.MaxWireKeyLength];
    private readonly KeyEncoding _keys = new("cache:");

    [Benchmark]
    public int ParseValueResponse()
    {
        return MetaProtocolParser.TryParse(_value, out var response, out var consumed, out _)
            ? consumed + response.Value.Length
            : throw new InvalidOperationException("The sample response is incomplete.");
    }

    [Benchmark]
    public int EncodePlainKey() => _keys.Encode("product:12345", _keyBuffer, out _);

    [Benchmark]
    public int EncodeOddKey() => _keys.Encode("product name with spaces", _keyBuffer, out _);
}
