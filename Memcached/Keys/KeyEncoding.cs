using System.Buffers;
using System.Buffers.Text;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Unicode;

namespace DualCache.Memcached;

/// <summary>
/// Turns any string (after the role's key prefix) into a key memcached accepts, and never lets two distinct
/// strings become the same key.
/// </summary>
/// <remarks>
/// Four disjoint forms, told apart by what the server stores:
/// a plain key is 1-250 bytes of printable ASCII without spaces and goes as it is;
/// any other key goes base64-encoded with the meta <c>b</c> flag, so the server stores the decoded bytes, which begin
/// with a marker byte below 0x21 that no plain key can begin with: 0x01 + UTF-8, or 0x02 + SHA-256 of the UTF-8 when
/// that is too long; strings that are not valid UTF-16 (a lone surrogate) would lose information in UTF-8, so they use
/// 0x03 + UTF-16, or 0x04 + its SHA-256. Only the hashed forms can collide, and only if SHA-256 does.
/// </remarks>
internal sealed class KeyEncoding
{
    public const int MaxWireKeyLength = 250;

    // base64 of 186 bytes is 248 characters: the most that fits in memcached's 250-byte key limit.
    private const int MaxBinaryLength = 186;

    private const byte Utf8Marker = 0x01;
    private const byte Utf8HashMarker = 0x02;
    private const byte Utf16Marker = 0x03;
    private const byte Utf16HashMarker = 0x04;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly string _prefix;
    private readonly byte[]? _prefixUtf8;

    public KeyEncoding(string prefix)
    {
        _prefix = prefix;
        try
        {
            _prefixUtf8 = StrictUtf8.GetBytes(prefix);
        }
        catch (EncoderFallbackException)
        {
            _prefixUtf8 = null;
        }
    }

    /// <summary>Encodes <paramref name="key"/> into <paramref name="destination"/> (at least <see cref="MaxWireKeyLength"/> bytes) and returns its length.</summary>
    public int Encode(string key, Span<byte> destination, out bool base64)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (_prefixUtf8 is null)
        {
            return EncodeUtf16(_prefix + key, destination, out base64);
        }

        var prefixLength = _prefixUtf8.Length;
        if (prefixLength > MaxWireKeyLength)
        {
            // A prefix that alone is too long for a plain key makes every key a hashed one.
            return EncodeLongUtf8(key, destination, out base64);
        }

        _prefixUtf8.CopyTo(destination);
        var status = Utf8.FromUtf16(key, destination[prefixLength..MaxWireKeyLength], out _, out var written, replaceInvalidSequences: false);
        switch (status)
        {
            case OperationStatus.Done:
                var length = prefixLength + written;
                if (length > 0 && IsPlain(destination[..length]))
                {
                    base64 = false;
                    return length;
                }

                return EncodeBinary(Utf8Marker, Utf8HashMarker, destination[..length], destination, out base64);
            case OperationStatus.InvalidData:
                return EncodeUtf16(_prefix + key, destination, out base64);
            default:
                return EncodeLongUtf8(key, destination, out base64);
        }
    }

    private int EncodeLongUtf8(string key, Span<byte> destination, out bool base64)
    {
        var prefixLength = _prefixUtf8!.Length;
        var buffer = ArrayPool<byte>.Shared.Rent(prefixLength + Encoding.UTF8.GetMaxByteCount(key.Length));
        try
        {
            _prefixUtf8.CopyTo(buffer, 0);
            if (Utf8.FromUtf16(key, buffer.AsSpan(prefixLength), out _, out var written, replaceInvalidSequences: false) == OperationStatus.InvalidData)
            {
                return EncodeUtf16(_prefix + key, destination, out base64);
            }

            return EncodeBinary(Utf8Marker, Utf8HashMarker, buffer.AsSpan(0, prefixLength + written), destination, out base64);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static int EncodeUtf16(string fullKey, Span<byte> destination, out bool base64) =>
        EncodeBinary(Utf16Marker, Utf16HashMarker, MemoryMarshal.AsBytes(fullKey.AsSpan()), destination, out base64);

    private static int EncodeBinary(byte marker, byte hashMarker, ReadOnlySpan<byte> bytes, Span<byte> destination, out bool base64)
    {
        Span<byte> raw = stackalloc byte[MaxBinaryLength];
        int rawLength;
        if (bytes.Length + 1 <= MaxBinaryLength)
        {
            raw[0] = marker;
            bytes.CopyTo(raw[1..]);
            rawLength = bytes.Length + 1;
        }
        else
        {
            raw[0] = hashMarker;
            SHA256.HashData(bytes, raw[1..]);
            rawLength = 1 + SHA256.HashSizeInBytes;
        }

        Base64.EncodeToUtf8(raw[..rawLength], destination, out _, out var written);
        base64 = true;
        return written;
    }

    /// <summary>The key length memcached stores (and counts against the item size): base64 keys are stored decoded.</summary>
    public static int StoredLength(ReadOnlySpan<byte> wireKey, bool base64) =>
        base64 ? wireKey.Length / 4 * 3 - (wireKey.Length - wireKey.TrimEnd((byte)'=').Length) : wireKey.Length;

    private static bool IsPlain(ReadOnlySpan<byte> bytes) => !bytes.ContainsAnyExceptInRange((byte)0x21, (byte)0x7E);
}
