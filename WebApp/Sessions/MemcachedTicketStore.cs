using System.Buffers.Text;
using System.Security.Cryptography;
using DualCache.Memcached;
using DualCache.WebApp.Accounts;
using DualCache.WebApp.Caching;
using DualCache.WebApp.Cart;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace DualCache.WebApp.Sessions;

/// <summary>
/// Keeps sign-in tickets on the <c>sessions</c> role, so that the cookie carries only a key and being signed in
/// depends on the ticket being there. Tickets are protected with Data Protection, bound to their key: whoever can
/// reach the memcached server can neither read nor forge them, nor copy an admin's ticket under their own key.
/// </summary>
public sealed partial class MemcachedTicketStore : ITicketStore, IDisposable
{
    private const string KeyPrefix = "ticket:";
    private const int MaxStoreAttempts = 3;
    private const int RememberedTickets = 10_000;

    private readonly IMemcachedClient _client;
    private readonly IDataProtector _protector;
    private readonly SignInLimitOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Func<string> _newKey;
    private readonly UnprotectedPayloads<AuthenticationTicket> _unprotected = new(RememberedTickets);

    public MemcachedTicketStore(
        [FromKeyedServices(CacheRoles.Sessions)] IMemcachedClient client,
        IDataProtectionProvider dataProtection,
        IOptions<SignInLimitOptions> options,
        TimeProvider timeProvider,
        ILogger<MemcachedTicketStore> logger)
        : this(client, dataProtection, options, timeProvider, logger, NewKey)
    {
    }

    /// <summary>With the keys chosen by the caller: tests use it to make two sign-ins meet on one key.</summary>
    internal MemcachedTicketStore(
        IMemcachedClient client,
        IDataProtectionProvider dataProtection,
        IOptions<SignInLimitOptions> options,
        TimeProvider timeProvider,
        ILogger<MemcachedTicketStore> logger,
        Func<string> newKey)
    {
        _client = client;
        _protector = dataProtection.CreateProtector("DualCache.WebApp.Sessions.MemcachedTicketStore.v2");
        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = logger;
        _newKey = newKey;
    }

    public Task<string> StoreAsync(AuthenticationTicket ticket) => StoreAsync(ticket, CancellationToken.None);

    /// <summary>Stores the ticket under a new random key with <c>add</c>, which never overwrites another sign-in's ticket.</summary>
    public async Task<string> StoreAsync(AuthenticationTicket ticket, CancellationToken cancellationToken)
    {
        var expiry = ExpiryOf(ticket);
        for (var attempt = 1; attempt <= MaxStoreAttempts; attempt++)
        {
            var key = _newKey();
            var payload = Protect(key, ticket);
            StoreResult result;
            try
            {
                result = await CallAsync(() => _client.AddAsync(key, payload, expiry, cancellationToken: cancellationToken));
            }
            catch (SessionStoreUnavailableException exception) when (attempt < MaxStoreAttempts && _client.Servers.Count > 1)
            {
                // The server this key belongs to failed; it is marked dead now, and another key lands elsewhere.
                LogServerFailed(_logger, attempt, exception);
                continue;
            }

            if (result == StoreResult.Stored)
            {
                return key;
            }

            LogKeyTaken(_logger, attempt);
        }

        throw new InvalidOperationException(
            $"No free ticket key after {MaxStoreAttempts} attempts; with 256-bit random keys that points at a broken random number generator.");
    }

    public Task RenewAsync(string key, AuthenticationTicket ticket) => RenewAsync(key, ticket, CancellationToken.None);

    /// <summary>Replaces the ticket with <c>replace</c>, so that a ticket removed by a sign-out or a flush stays gone.</summary>
    public async Task RenewAsync(string key, AuthenticationTicket ticket, CancellationToken cancellationToken)
    {
        var result = await CallAsync(() => _client.ReplaceAsync(key, Protect(key, ticket), ExpiryOf(ticket), cancellationToken: cancellationToken));
        if (result == StoreResult.NotFound)
        {
            LogRenewedTicketGone(_logger);
        }
    }

    public Task<AuthenticationTicket?> RetrieveAsync(string key) => RetrieveAsync(key, CancellationToken.None);

    /// <summary>
    /// Reads the ticket and, for a page, the cart the page's header shows, both sent before either answer is awaited:
    /// one round trip's wait instead of two in a row. The cart is used only if the ticket turns out valid.
    /// </summary>
    public Task<AuthenticationTicket?> RetrieveAsync(string key, HttpContext httpContext, CancellationToken cancellationToken)
    {
        var ticket = RetrieveAsync(key, cancellationToken);
        if (VisitorCart.IsPageRequest(httpContext))
        {
            httpContext.RequestServices.GetRequiredService<VisitorCart>().ReadAhead(key, cancellationToken);
        }

        return ticket;
    }

    /// <summary>Reads the ticket and resets its idle timeout in the same round trip.</summary>
    public async Task<AuthenticationTicket?> RetrieveAsync(string key, CancellationToken cancellationToken)
    {
        var item = await CallAsync(() => _client.GetAndTouchAsync(key, _options.IdleTimeout, cancellationToken));
        if (item is not { } found)
        {
            LogTicketNotFound(_logger);
            return null;
        }

        // Every request gets a copy of its own: the key claim below, and claims transformations, change the principal.
        AuthenticationTicket? ticket;
        if (_unprotected.TryGet(key, found.Value, out var remembered))
        {
            ticket = remembered.Clone();
        }
        else
        {
            try
            {
                ticket = TicketSerializer.Default.Deserialize(_protector.CreateProtector(key).Unprotect(found.Value));
            }
            catch (CryptographicException exception)
            {
                LogTicketRejected(_logger, exception);
                return null;
            }

            if (ticket is null)
            {
                LogTicketRejected(_logger, null);
                return null;
            }

            _unprotected.Remember(key, found.Value, ticket.Clone());
        }

        if (ticket.Properties.IssuedUtc is not { } issued || issued + _options.AbsoluteLifetime <= _timeProvider.GetUtcNow())
        {
            LogTicketTooOld(_logger, ticket.Properties.IssuedUtc);
            await RemoveAsync(key, cancellationToken);
            return null;
        }

        SignInKey.Attach(ticket.Principal, key);
        return ticket;
    }

    public Task RemoveAsync(string key) => RemoveAsync(key, CancellationToken.None);

    public Task RemoveAsync(string key, CancellationToken cancellationToken)
    {
        _unprotected.Forget(key);
        return CallAsync(() => _client.DeleteAsync(key, cancellationToken));
    }

    public void Dispose() => _unprotected.Dispose();

    internal static string NewKey() => KeyPrefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

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

    private static async Task CallAsync(Func<ValueTask> operation)
    {
        try
        {
            await operation();
        }
        catch (MemcachedException exception)
        {
            throw new SessionStoreUnavailableException(exception);
        }
    }

    /// <summary>With the key as a purpose: a ticket copied under another key no longer unprotects.</summary>
    private byte[] Protect(string key, AuthenticationTicket ticket) =>
        _protector.CreateProtector(key).Protect(TicketSerializer.Default.Serialize(ticket));

    /// <summary>The idle timeout, cut short by the absolute lifetime; memcached forgets the ticket by itself then.</summary>
    private TimeSpan ExpiryOf(AuthenticationTicket ticket)
    {
        var issued = ticket.Properties.IssuedUtc ?? _timeProvider.GetUtcNow();
        var left = issued + _options.AbsoluteLifetime - _timeProvider.GetUtcNow();
        var expiry = left < _options.IdleTimeout ? left : _options.IdleTimeout;
        return expiry < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : expiry;
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "A new ticket key was already taken (attempt {Attempt}); trying another")]
    private static partial void LogKeyTaken(ILogger logger, int attempt);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Warning, Message = "The session server of a new ticket key failed (attempt {Attempt}); trying another key")]
    private static partial void LogServerFailed(ILogger logger, int attempt, Exception exception);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Debug, Message = "The ticket named by the cookie is not in the session store: it expired, was removed or was flushed")]
    private static partial void LogTicketNotFound(ILogger logger);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "A ticket in the session store could not be unprotected; it was changed, copied from another key, or written with other keys. The visitor is signed out")]
    private static partial void LogTicketRejected(ILogger logger, Exception? exception);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Information, Message = "A ticket issued at {IssuedUtc} is past its absolute lifetime; the visitor is signed out")]
    private static partial void LogTicketTooOld(ILogger logger, DateTimeOffset? issuedUtc);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Debug, Message = "The ticket to renew is no longer in the session store: it was removed or flushed, and is not written again")]
    private static partial void LogRenewedTicketGone(ILogger logger);
}
