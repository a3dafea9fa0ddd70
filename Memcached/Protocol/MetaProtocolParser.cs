using System.Buffers.Text;
using System.Text;

namespace DualCache.Memcached.Protocol;

/// <summary>
/// Parses memcached responses (doc/protocol.txt) from whatever bytes have arrived so far. It never blocks and never
/// guesses: a response that is not complete yet asks for more bytes, and one the protocol does not allow throws.
/// </summary>
internal static class MetaProtocolParser
{
    /// <summary>No response line is this long; a longer one means the stream is not memcached or is out of step.</summary>
    public const int MaxLineLength = 8 * 1024;

    /// <summary>
    /// The largest value accepted from a server whose <c>item_size_max</c> is not known (yet): 64 times memcached's
    /// default limit. An announced size is checked before anything is allocated for it, so a bit flip or a hostile
    /// peer cannot make the client reserve a gigabyte.
    /// </summary>
    public const int UnknownLimitMaxValueLength = 64 * 1024 * 1024;

    private static ReadOnlySpan<byte> CrLf => "\r\n"u8;

    /// <summary>
    /// Parses one response from the start of <paramref name="buffer"/>. Returns false when more bytes are needed;
    /// <paramref name="required"/> is then the least total length the response can have, so the caller can grow its buffer.
    /// </summary>
    /// <param name="maxValueLength">The longest value the server can hold (its <c>item_size_max</c>); a <c>VA</c> announcing more is refused.</param>
    /// <exception cref="MemcachedProtocolException">The bytes are not a valid response.</exception>
    public static bool TryParse(ReadOnlySpan<byte> buffer, out MetaResponse response, out int consumed, out int required, long maxValueLength = UnknownLimitMaxValueLength)
    {
        response = default;
        consumed = 0;
        var lineEnd = buffer.IndexOf(CrLf);
        if (lineEnd < 0)
        {
            if (buffer.Length > MaxLineLength)
            {
                throw Malformed("a response line longer than " + MaxLineLength + " bytes", buffer[..64]);
            }

            required = buffer.Length + 1;
            return false;
        }

        var line = buffer[..lineEnd];
        var lineLength = lineEnd + CrLf.Length;
        required = lineLength;
        if (line.Length > MaxLineLength)
        {
            throw Malformed("a response line longer than " + MaxLineLength + " bytes", line[..64]);
        }

        if (line.Length >= 2 && line[0] == (byte)'V' && line[1] == (byte)'A')
        {
            return TryParseValue(buffer, line, lineLength, maxValueLength, out response, out consumed, out required);
        }

        response = ParseLine(line);
        consumed = lineLength;
        return true;
    }

    private static bool TryParseValue(ReadOnlySpan<byte> buffer, ReadOnlySpan<byte> line, int lineLength, long maxValueLength, out MetaResponse response, out int consumed, out int required)
    {
        response = default;
        consumed = 0;
        if (line.Length < 4 || line[2] != (byte)' ')
        {
            throw Malformed("a VA line without a size", line);
        }

        var rest = line[3..];
        var space = rest.IndexOf((byte)' ');
        var sizeText = space < 0 ? rest : rest[..space];
        if (sizeText.Length == 0 || !IsDigits(sizeText) || !Utf8Parser.TryParse(sizeText, out int size, out var used) || used != sizeText.Length)
        {
            throw Malformed("a VA line whose size is not a number", line);
        }

        if (size > maxValueLength)
        {
            throw Malformed($"a VA line announcing {size} bytes, more than its item size limit of {maxValueLength} allows", line);
        }

        var flags = space < 0 ? [] : rest[(space + 1)..];
        required = lineLength + size + CrLf.Length;
        if (buffer.Length < required)
        {
            return false;
        }

        if (!buffer.Slice(lineLength + size, CrLf.Length).SequenceEqual(CrLf))
        {
            throw Malformed("a data block that does not end where its size says", line);
        }

        response = new MetaResponse(ResponseKind.Value, flags, buffer.Slice(lineLength, size));
        consumed = required;
        return true;
    }

    private static MetaResponse ParseLine(ReadOnlySpan<byte> line)
    {
        if (line.Length >= 2 && (line.Length == 2 || line[2] == (byte)' '))
        {
            ResponseKind? meta = (line[0], line[1]) switch
            {
                ((byte)'H', (byte)'D') => ResponseKind.Header,
                ((byte)'E', (byte)'N') => ResponseKind.Miss,
                ((byte)'N', (byte)'F') => ResponseKind.NotFound,
                ((byte)'N', (byte)'S') => ResponseKind.NotStored,
                ((byte)'E', (byte)'X') => ResponseKind.Exists,
                ((byte)'M', (byte)'N') => ResponseKind.NoOp,
                ((byte)'O', (byte)'K') => ResponseKind.Ok,
                _ => null,
            };
            if (meta is { } kind)
            {
                return new MetaResponse(kind, line.Length > 3 ? line[3..] : [], []);
            }
        }

        if (TryMatch(line, "STAT "u8, out var stat))
        {
            return new MetaResponse(ResponseKind.Stat, stat, []);
        }

        if (line.SequenceEqual("END"u8))
        {
            return new MetaResponse(ResponseKind.End, [], []);
        }

        if (TryMatch(line, "VERSION "u8, out var version))
        {
            return new MetaResponse(ResponseKind.Version, version, []);
        }

        if (line.SequenceEqual("STORED"u8))
        {
            return new MetaResponse(ResponseKind.Stored, [], []);
        }

        if (line.SequenceEqual("ERROR"u8))
        {
            return new MetaResponse(ResponseKind.Error, [], []);
        }

        if (TryMatch(line, "CLIENT_ERROR"u8, out var clientError))
        {
            return new MetaResponse(ResponseKind.ClientError, clientError.TrimStart((byte)' '), []);
        }

        if (TryMatch(line, "SERVER_ERROR"u8, out var serverError))
        {
            return new MetaResponse(ResponseKind.ServerError, serverError.TrimStart((byte)' '), []);
        }

        throw Malformed("an unknown response", line);
    }

    private static bool TryMatch(ReadOnlySpan<byte> line, ReadOnlySpan<byte> prefix, out ReadOnlySpan<byte> rest)
    {
        if (line.StartsWith(prefix))
        {
            rest = line[prefix.Length..];
            return true;
        }

        rest = default;
        return false;
    }

    private static bool IsDigits(ReadOnlySpan<byte> text)
    {
        foreach (var b in text)
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                return false;
            }
        }

        return true;
    }

    private static MemcachedProtocolException Malformed(string what, ReadOnlySpan<byte> line) =>
        new($"memcached sent {what}: '{Printable(line)}'. The connection is closed.");

    /// <summary>Shows a line in an error message without letting its bytes break the message.</summary>
    internal static string Printable(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder(Math.Min(bytes.Length, 80));
        foreach (var b in bytes[..Math.Min(bytes.Length, 80)])
        {
            text.Append(b is >= 0x20 and < 0x7F ? (char)b : '.');
        }

        return bytes.Length > 80 ? text.Append("...").ToString() : text.ToString();
    }
}
