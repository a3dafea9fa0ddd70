using System.Security.Claims;

namespace DualCache.WebApp.Sessions;

/// <summary>
/// The key of the ticket a request was signed in with: the visitor's session identifier. It is minted with
/// <c>add</c> at every sign-in and removed at sign-out, so it cannot be chosen or kept by anybody else, and what is
/// stored under it (the cart) belongs to that one sign-in of that one account.
/// </summary>
public static class SignInKey
{
    public const string ClaimType = "urn:dualcache:sign-in-key";

    /// <summary>The sign-in key of a signed-in visitor; <see langword="null"/> for an anonymous one.</summary>
    public static string? Of(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true ? user.FindFirst(ClaimType)?.Value : null;

    /// <summary>Puts the key a ticket was read under on its identity, replacing any claim of that type it carried.</summary>
    internal static void Attach(ClaimsPrincipal user, string key)
    {
        if (user.Identity is not ClaimsIdentity identity)
        {
            return;
        }

        foreach (var stale in identity.FindAll(ClaimType).ToList())
        {
            identity.RemoveClaim(stale);
        }

        identity.AddClaim(new Claim(ClaimType, key));
    }
}
