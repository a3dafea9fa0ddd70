using System.Buffers.Text;

namespace DualCache.Memcached.Protocol;

/// <summary>Reads the return flags of a meta response (<c>f30 c12345 t-1 O7</c>).</summary>
internal static class MetaFlags
{
    /// <summary>Finds the token of a flag; a flag may stand anywhere on the line.</summary>
    public static bool TryGetToken(ReadOnlySpan<byte> flags, byte flag, out ReadOnlySpan<byte> token)
    {
        while (!flags.IsEmpty)
        {
            var space = flags.IndexOf((byte)' ');
            var current = space < 0 ? flags : flags[..space];
            if (current.Length > 0 && current[0] == flag)
            {
                token = current[1..];
                return true;
            }

            flags = space < 0 ? [] : flags[(space + 1)..];
        }

        token = default;
        return false;
    }

    public static ulong GetUInt64(ReadOnlySpan<byte> flags, byte flag)
    {
        if (!TryGetToken(flags, flag, out var token))
        {
            return 0;
        }

        return Utf8Parser.TryParse(token, out ulong value, out var used) && used == token.Length
            ? value
            : throw new MemcachedProtocolException($"memcached sent flag '{(char)flag}' with '{MetaProtocolParser.Printable(token)}', which is not a number.");
    }

    public static long GetInt64(ReadOnlySpan<byte> flags, byte flag, long missing)
    {
        if (!TryGetToken(flags, flag, out var token))
        {
            return missing;
        }

        return Utf8Parser.TryParse(token, out long value, out var used) && used == token.Length
            ? value
            : throw new MemcachedProtocolException($"memcached sent flag '{(char)flag}' with '{MetaProtocolParser.Printable(token)}', which is not a number.");
    }
}
