using System.Security.Cryptography;

namespace DualCache.WebApp.Security;

/// <summary>
/// A protected payload under a one-time pad of its own length, drawn afresh every time: the bytes a page carries
/// differ at every response while the payload under them does not. That is what defeats BREACH, where an attacker who
/// can reflect text into a compressed page guesses a secret that repeats across responses, byte by byte; Django's and
/// Rails's form tokens are masked the same way. The mask hides nothing and proves nothing: it travels with the token,
/// and what it covers is still a Data Protection payload, checked by Data Protection.
/// </summary>
internal static class TokenMask
{
    /// <summary>The first byte of a masked payload. Data Protection's own payloads start with 0x09, its magic header.</summary>
    private const byte Marker = (byte)'M';

    /// <summary>How many random bytes a thread draws at once: about fifteen masks.</summary>
    private const int RandomBlock = 4096;

    // Drawn in blocks: every draw from the system's generator is a system call (OpenSSL checks its process id), which
    // was one per page. Each byte is handed out once and wiped as it is.
    [ThreadStatic]
    private static byte[]? t_random;

    [ThreadStatic]
    private static int t_used;

    /// <summary>The marker, the mask, then the payload XOR the mask.</summary>
    public static byte[] Apply(ReadOnlySpan<byte> payload)
    {
        var masked = new byte[1 + (2 * payload.Length)];
        masked[0] = Marker;
        var mask = masked.AsSpan(1, payload.Length);
        FillRandom(mask);
        Xor(payload, mask, masked.AsSpan(1 + payload.Length));
        return masked;
    }

    /// <summary>The payload under a mask; false for anything that is not a masked payload (a plain one, say).</summary>
    public static bool TryRemove(ReadOnlySpan<byte> masked, out byte[] payload)
    {
        if (masked.Length < 3 || masked[0] != Marker || masked.Length % 2 == 0)
        {
            payload = [];
            return false;
        }

        var length = (masked.Length - 1) / 2;
        payload = new byte[length];
        Xor(masked.Slice(1 + length), masked.Slice(1, length), payload);
        return true;
    }

    private static void FillRandom(Span<byte> destination)
    {
        if (destination.Length > RandomBlock)
        {
            RandomNumberGenerator.Fill(destination);
            return;
        }

        if (t_random is null || RandomBlock - t_used < destination.Length)
        {
            t_random ??= new byte[RandomBlock];
            RandomNumberGenerator.Fill(t_random);
            t_used = 0;
        }

        var drawn = t_random.AsSpan(t_used, destination.Length);
        drawn.CopyTo(destination);
        drawn.Clear();
        t_used += destination.Length;
    }

    private static void Xor(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right, Span<byte> destination)
    {
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = (byte)(left[i] ^ right[i]);
        }
    }
}
