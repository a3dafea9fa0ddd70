using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Caching.Distributed;

namespace DualCache.WebApp.Sessions;

/// <summary>
/// Protects what the session middleware writes with Data Protection before it reaches the <c>sessions</c> role,
/// so that whoever can reach the memcached server can neither read a cart nor forge one, nor move one to another
/// session: values are bound to their key. A value that fails to unprotect reads as missing: the visitor gets an
/// empty session, as after an expiry.
/// </summary>
public sealed partial class ProtectedDistributedCache(
    IDistributedCache inner,
    IDataProtectionProvider dataProtection,
    ILogger<ProtectedDistributedCache> logger) : IDistributedCache
{
    private readonly IDataProtector _protector = dataProtection.CreateProtector("DualCache.WebApp.Sessions.ProtectedDistributedCache.v2");

    public byte[]? Get(string key) => Unprotect(key, inner.Get(key));

    public async Task<byte[]?> GetAsync(string key, CancellationToken token = default) => Unprotect(key, await inner.GetAsync(key, token));

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => inner.Set(key, ProtectorFor(key).Protect(value), options);

    public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default) =>
        inner.SetAsync(key, ProtectorFor(key).Protect(value), options, token);

    public void Refresh(string key) => inner.Refresh(key);

    public Task RefreshAsync(string key, CancellationToken token = default) => inner.RefreshAsync(key, token);

    public void Remove(string key) => inner.Remove(key);

    public Task RemoveAsync(string key, CancellationToken token = default) => inner.RemoveAsync(key, token);

    /// <summary>With the key as a purpose: a value copied under another key no longer unprotects.</summary>
    private IDataProtector ProtectorFor(string key) => _protector.CreateProtector(key);

    private byte[]? Unprotect(string key, byte[]? value)
    {
        if (value is null)
        {
            return null;
        }

        try
        {
            return ProtectorFor(key).Unprotect(value);
        }
        catch (CryptographicException exception)
        {
            LogUnprotectFailed(logger, exception);
            return null;
        }
    }

    [LoggerMessage(EventId = 2201, Level = LogLevel.Warning, Message = "A session payload could not be unprotected; it was changed, copied from another key, or written with other keys. The session starts empty")]
    private static partial void LogUnprotectFailed(ILogger logger, Exception exception);
}
