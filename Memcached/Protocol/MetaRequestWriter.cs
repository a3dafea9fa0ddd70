using System.Buffers;
using System.Buffers.Text;

namespace DualCache.Memcached.Protocol;

/// <summary>Encodes requests into a send buffer, one line (and data block) each.</summary>
internal static class MetaRequestWriter
{
    // Room for the command, the longest key and every flag with a 20-digit token.
    private const int MaxLineLength = 3 + KeyEncoding.MaxWireKeyLength + 200;

    /// <summary>
    /// Writes one meta command with its opaque token, asking for the key back too (<c>k</c>) when it is plain text:
    /// memcached 1.6.18 echoes a base64 key decoded, newer versions as sent, so only a plain key can be compared.
    /// </summary>
    public static void Write(IBufferWriter<byte> writer, in MetaRequest request, ReadOnlySpan<byte> key, bool base64, uint opaque)
    {
        var span = writer.GetSpan(MaxLineLength);
        var n = 0;
        Append(span, ref n, request.Command switch
        {
            MetaCommand.Get => "mg "u8,
            MetaCommand.Set => "ms "u8,
            MetaCommand.Delete => "md "u8,
            _ => "ma "u8,
        });
        Append(span, ref n, key);
        if (request.Command == MetaCommand.Set)
        {
            span[n++] = (byte)' ';
            AppendNumber(span, ref n, (ulong)request.Value.Length);
        }

        Append(span, ref n, base64 ? " b"u8 : " k"u8);

        var flags = request.Flags;
        if ((flags & MetaRequestFlags.ReturnValue) != 0)
        {
            Append(span, ref n, " v"u8);
        }

        if ((flags & MetaRequestFlags.ReturnClientFlags) != 0)
        {
            Append(span, ref n, " f"u8);
        }

        if ((flags & MetaRequestFlags.ReturnCas) != 0)
        {
            Append(span, ref n, " c"u8);
        }

        if ((flags & MetaRequestFlags.ReturnTtl) != 0)
        {
            Append(span, ref n, " t"u8);
        }

        if (request.Command == MetaCommand.Set)
        {
            AppendToken(span, ref n, (byte)'F', request.ClientFlags);
        }

        if (request.Ttl is { } ttl)
        {
            AppendToken(span, ref n, (byte)'T', (ulong)ttl);
        }

        if (request.Cas != 0)
        {
            AppendToken(span, ref n, (byte)'C', request.Cas);
        }

        if (request.Mode != 0)
        {
            Append(span, ref n, " M"u8);
            span[n++] = request.Mode;
        }

        if (request.Command == MetaCommand.Arithmetic)
        {
            if ((flags & MetaRequestFlags.Decrement) != 0)
            {
                Append(span, ref n, " MD"u8);
            }

            AppendToken(span, ref n, (byte)'D', request.Delta);
            if ((flags & MetaRequestFlags.Vivify) != 0)
            {
                AppendToken(span, ref n, (byte)'N', (ulong)(request.Ttl ?? 0));
                AppendToken(span, ref n, (byte)'J', request.Initial);
            }
        }

        if ((flags & MetaRequestFlags.Quiet) != 0)
        {
            Append(span, ref n, " q"u8);
        }

        AppendToken(span, ref n, (byte)'O', opaque);

        Append(span, ref n, "\r\n"u8);
        writer.Advance(n);

        if (request.Command == MetaCommand.Set)
        {
            writer.Write(request.Value.Span);
            writer.Write("\r\n"u8);
        }
    }

    /// <summary>Writes a text command that has no key: <c>version</c>, <c>stats</c>, <c>flush_all</c>, <c>mn</c>.</summary>
    public static void WriteText(IBufferWriter<byte> writer, ReadOnlySpan<byte> line) => writer.Write(line);

    /// <summary>memcached's ASCII authentication: a <c>set</c> whose data is "username password".</summary>
    public static void WriteAuthentication(IBufferWriter<byte> writer, ReadOnlySpan<byte> credentials)
    {
        writer.Write("set auth 0 0 "u8);
        var span = writer.GetSpan(20);
        Utf8Formatter.TryFormat(credentials.Length, span, out var written);
        writer.Advance(written);
        writer.Write("\r\n"u8);
        writer.Write(credentials);
        writer.Write("\r\n"u8);
    }

    private static void Append(Span<byte> span, ref int n, ReadOnlySpan<byte> text)
    {
        text.CopyTo(span[n..]);
        n += text.Length;
    }

    private static void AppendToken(Span<byte> span, ref int n, byte flag, ulong value)
    {
        span[n++] = (byte)' ';
        span[n++] = flag;
        AppendNumber(span, ref n, value);
    }

    private static void AppendNumber(Span<byte> span, ref int n, ulong value)
    {
        Utf8Formatter.TryFormat(value, span[n..], out var written);
        n += written;
    }
}
