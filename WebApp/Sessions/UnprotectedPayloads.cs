using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using Microsoft.Extensions.Caching.Memory;

namespace DualCache.WebApp.Sessions;

/// <summary>
/// What a protected payload unprotected to, remembered for a minute under the key it was read under, so that a
/// signed-in visitor's unchanged ticket, cart and cookie are not decrypted and parsed again at every page view: Data
/// Protection's unprotect was the largest part of what a signed-in page costs more than an anonymous one
/// (Benchmarks/README.md). Only a payload that did unprotect is remembered, and only the very same bytes under the
/// same key find it: a changed, copied or forged payload misses and is unprotected, and refused, as before.
/// Expiry is untouched: the store still reads (and touches) the item at every request, and a ticket's absolute
/// lifetime is checked on what is found here. The minute bounds how long a revoked Data Protection key goes unnoticed.
/// </summary>
public sealed class UnprotectedPayloads<T> : IDisposable where T : class
{
    internal static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

    private readonly MemoryCache _entries;

    /// <param name="capacity">How many keys at most; beyond it, the least recently used are forgotten.</param>
    public UnprotectedPayloads(int capacity)
    {
        _entries = new MemoryCache(new MemoryCacheOptions { SizeLimit = capacity });
    }

    /// <summary>The value <paramref name="payload"/> unprotected to when read under <paramref name="key"/> before.</summary>
    public bool TryGet(string key, ReadOnlySpan<byte> payload, [NotNullWhen(true)] out T? value)
    {
        if (_entries.TryGetValue(key, out Entry? entry) && CryptographicOperations.FixedTimeEquals(entry!.Payload, payload))
        {
            value = entry.Value;
            return true;
        }

        value = null;
        return false;
    }

    /// <summary>Remembers what <paramref name="payload"/>, read under <paramref name="key"/>, unprotected to.</summary>
    public void Remember(string key, byte[] payload, T value) =>
        _entries.Set(key, new Entry(payload, value), new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = Lifetime });

    /// <summary>Forgets a key whose item was removed or replaced.</summary>
    public void Forget(string key) => _entries.Remove(key);

    /// <summary>Forgets everything, as when the keys that protected the payloads changed.</summary>
    public void Clear() => _entries.Clear();

    public void Dispose() => _entries.Dispose();

    private sealed record Entry(byte[] Payload, T Value);
}
