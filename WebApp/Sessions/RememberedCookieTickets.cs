using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace DualCache.WebApp.Sessions;

/// <summary>
/// Wraps the auth cookie's ticket format (the framework's, with its own Data Protection purposes) so that what a
/// cookie unprotected to is remembered, as <see cref="UnprotectedPayloads{T}"/> says: a signed-in visitor sends the
/// same cookie at every request. The cookie handler still checks the ticket's expiry at every request, and the ticket
/// it names must still be in the session store.
/// </summary>
public sealed class RememberedCookieTickets : IPostConfigureOptions<CookieAuthenticationOptions>, IDisposable
{
    private const int RememberedCookies = 10_000;

    private readonly UnprotectedPayloads<AuthenticationTicket> _unprotected = new(RememberedCookies);

    public void PostConfigure(string? name, CookieAuthenticationOptions options) =>
        options.TicketDataFormat = new Format(options.TicketDataFormat, _unprotected);

    public void Dispose() => _unprotected.Dispose();

    private sealed class Format(ISecureDataFormat<AuthenticationTicket> inner, UnprotectedPayloads<AuthenticationTicket> unprotected) : ISecureDataFormat<AuthenticationTicket>
    {
        public string Protect(AuthenticationTicket data) => inner.Protect(data);

        public string Protect(AuthenticationTicket data, string? purpose) => inner.Protect(data, purpose);

        public AuthenticationTicket? Unprotect(string? protectedText) => Unprotect(protectedText, null);

        /// <summary>The cookie's text is itself the key: the same text always unprotects to the same ticket.</summary>
        public AuthenticationTicket? Unprotect(string? protectedText, string? purpose)
        {
            if (protectedText is null || purpose is not null)
            {
                return inner.Unprotect(protectedText, purpose);
            }

            if (unprotected.TryGet(protectedText, [], out var remembered))
            {
                return remembered.Clone();
            }

            var ticket = inner.Unprotect(protectedText, purpose);
            if (ticket is not null)
            {
                unprotected.Remember(protectedText, [], ticket.Clone());
            }

            return ticket;
        }
    }
}
