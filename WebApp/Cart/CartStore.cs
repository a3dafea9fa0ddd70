using System.Security.Cryptography;
using System.Text.Json;
using DualCache.Memcached;
using DualCache.WebApp.Accounts;
using DualCache.WebApp.Caching;
using DualCache.WebApp.Sessions;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace DualCache.WebApp.Cart;

/// <summary>
/// Keeps each sign-in's cart under a key of its own on the <c>sessions</c> role (<c>cart:</c> + the sign-in key), so
/// that a change is atomic against that key: read with its CAS token, write back with compare-and-swap, and try
/// again when another request changed it meanwhile. Concurrent adds from one visitor all survive, where a session
/// written back as a whole keeps only the last writer's. Payloads are protected with Data Protection, bound to their
/// key: whoever reaches the memcached server can neither read a cart nor move it to another sign-in.
/// </summary>
public sealed partial class CartStore : IDisposable
{
    private const string KeyPrefix = "cart:";
    private const int RememberedCarts = 10_000;

    /// <summary>Each failed attempt means another change to the same cart succeeded, so this many concurrent changes always get through.</summary>
    internal const int MaxAttempts = 32;

    private readonly IMemcachedClient _client;
    private readonly IDataProtector _protector;
    private readonly TimeSpan _idleTimeout;
    private readonly ILogger _logger;
    private readonly UnprotectedPayloads<ShoppingCart> _unprotected = new(RememberedCarts);

    public CartStore(
        [FromKeyedServices(CacheRoles.Sessions)] IMemcachedClient client,
        IDataProtectionProvider dataProtection,
        IOptions<SignInLimitOptions> options,
        ILogger<CartStore> logger)
    {
        _client = client;
        _protector = dataProtection.CreateProtector("DualCache.WebApp.Cart.CartStore.v1");
        _idleTimeout = options.Value.IdleTimeout;
        _logger = logger;
    }

    /// <summary>Reads the cart and resets its idle timeout in the same round trip (<c>mg ... v c T</c>).</summary>
    /// <exception cref="SessionStoreUnavailableException">The session store cannot be reached.</exception>
    public async Task<ShoppingCart> ReadAsync(string signInKey, CancellationToken cancellationToken)
    {
        var key = KeyOf(signInKey);
        var item = await CallAsync(() => _client.GetAndTouchAsync(key, _idleTimeout, cancellationToken));
        return item is { } found ? Unprotect(key, found.Value) : ShoppingCart.Empty;
    }

    /// <summary>Applies <paramref name="change"/> to the cart as it is on the server, with compare-and-swap.</summary>
    /// <exception cref="SessionStoreUnavailableException">The session store cannot be reached.</exception>
    public async Task<CartUpdate> UpdateAsync(string signInKey, Func<ShoppingCart, ShoppingCart> change, CancellationToken cancellationToken)
    {
        var key = KeyOf(signInKey);
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var item = await CallAsync(() => _client.GetAndTouchAsync(key, _idleTimeout, cancellationToken));
            var changed = change(item is { } found ? Unprotect(key, found.Value) : ShoppingCart.Empty);
            var payload = _protector.CreateProtector(key).Protect(JsonSerializer.SerializeToUtf8Bytes(changed, WebAppJsonContext.Default.ShoppingCart));
            StoreResult result;
            try
            {
                result = await CallAsync(() => item is { } current
                    ? _client.CompareAndSwapAsync(key, payload, current.Cas, _idleTimeout, cancellationToken: cancellationToken)
                    : _client.AddAsync(key, payload, _idleTimeout, cancellationToken: cancellationToken));
            }
            catch (SessionStoreUnavailableException exception) when (exception.InnerException is MemcachedValueTooLargeException tooLarge)
            {
                LogCartTooLarge(_logger, changed.Lines.Count, tooLarge);
                return new CartUpdate(CartUpdateOutcome.TooLarge, item is { } kept ? Unprotect(key, kept.Value) : ShoppingCart.Empty);
            }

            if (result == StoreResult.Stored)
            {
                _unprotected.Remember(key, payload, changed);
                return new CartUpdate(CartUpdateOutcome.Updated, changed);
            }

            // Another request changed the cart between the read and the write: read it again. The short random pause
            // keeps a crowd of writers from meeting again on the very next attempt.
            await Task.Delay(Random.Shared.Next(0, 2 * attempt), cancellationToken);
        }

        LogCartContended(_logger, MaxAttempts);
        return new CartUpdate(CartUpdateOutcome.Contended, await ReadAsync(signInKey, cancellationToken));
    }

    /// <summary>Removes the cart of a sign-in that ends.</summary>
    public Task RemoveAsync(string signInKey, CancellationToken cancellationToken)
    {
        _unprotected.Forget(KeyOf(signInKey));
        return CallAsync(() => _client.DeleteAsync(KeyOf(signInKey), cancellationToken));
    }

    public void Dispose() => _unprotected.Dispose();

    private static string KeyOf(string signInKey) => KeyPrefix + signInKey;

    private static async Task<T> CallAsync<T>(Func<ValueTask<T>> operation)
    {
        try
        {
            return await operation();
        }
        catch (MemcachedException exception)
        {
            throw new SessionStoreUnavailableException(exception);
        }
    }

    /// <summary>
    /// With the key as a purpose: a cart copied under another key no longer unprotects, and reads as empty. A cart
    /// is immutable, so the same one serves every request that reads the same bytes.
    /// </summary>
    private ShoppingCart Unprotect(string key, byte[] payload)
    {
        if (_unprotected.TryGet(key, payload, out var remembered))
        {
            return remembered;
        }

        try
        {
            var cart = JsonSerializer.Deserialize(_protector.CreateProtector(key).Unprotect(payload), WebAppJsonContext.Default.ShoppingCart) ?? ShoppingCart.Empty;
            _unprotected.Remember(key, payload, cart);
            return cart;
        }
        catch (CryptographicException exception)
        {
            LogUnprotectFailed(_logger, exception);
            return ShoppingCart.Empty;
        }
    }

    [LoggerMessage(EventId = 2201, Level = LogLevel.Warning, Message = "A cart could not be unprotected; it was changed, copied from another key, or written with other keys. The cart starts empty")]
    private static partial void LogUnprotectFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2202, Level = LogLevel.Warning, Message = "A cart of {Lines} line(s) does not fit in the session store's item size limit; the change was refused and the visitor told")]
    private static partial void LogCartTooLarge(ILogger logger, int lines, Exception exception);

    [LoggerMessage(EventId = 2203, Level = LogLevel.Warning, Message = "A cart changed under every one of {Attempts} attempts to update it; the visitor was asked to try again")]
    private static partial void LogCartContended(ILogger logger, int attempts);
}
