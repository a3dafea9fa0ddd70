using DualCache.WebApp.Sessions;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Primitives;

namespace DualCache.WebApp.Security;

/// <summary>
/// Every signed-in page carries antiforgery tokens for its forms. Generating them unprotects the antiforgery cookie,
/// which a browser sends unchanged at every request, hashes the user's claims and protects a request token; the
/// cookie's unprotect and the token's protect were the largest parts of what a signed-in page cost more than an
/// anonymous one that Data Protection accounts for (Benchmarks/README.md). Antiforgery reaches Data Protection only
/// through <see cref="IDataProtectionProvider"/>, so the provider is wrapped and, for antiforgery's purpose alone:
/// <list type="bullet">
/// <item>What a payload unprotected to is remembered, as <see cref="UnprotectedPayloads{T}"/> does for tickets and
/// carts. Only the very same bytes find it; anything else is unprotected (and refused) by Data Protection as before.</item>
/// <item>What a request token protected to is remembered too, and every response gets it under a fresh mask
/// (<see cref="TokenMask"/>): the same cookie and user make the same token, so one protect serves a visitor's pages for
/// a minute while no two pages carry the same bytes. Unprotect takes the mask off before anything else, and still
/// takes tokens that were never masked. Cookie tokens are neither remembered nor masked.</item>
/// </list>
/// Both are forgotten when the key ring changes in this process (a key revoked or added); a key revoked by another
/// process goes unnoticed for at most the minute a payload is remembered. A form post's request token is
/// remembered like a cookie: that takes a slot of the bounded cache and changes nothing else, since a token is only
/// ever accepted with its cookie and user.
/// </summary>
public static class RememberedAntiforgeryTokens
{
    /// <summary>The purpose the framework's antiforgery token serializer asks Data Protection for.</summary>
    public const string AntiforgeryPurpose = "Microsoft.AspNetCore.Antiforgery.AntiforgeryToken.v1";

    private const int RememberedPayloads = 10_000;

    /// <summary>A masked request token is about 270 bytes; a form field may be megabytes.</summary>
    private const int MaxRememberedLength = 4096;

    /// <summary>
    /// The framework's serialized cookie token: its format version (1), a 16-byte security token, then 1 for a cookie
    /// token. Should the format change, cookie tokens are masked and remembered like request tokens, which still works.
    /// </summary>
    private static bool IsCookieToken(byte[] plaintext) => plaintext is [1, .., 1] && plaintext.Length == 18;

    /// <summary>Wraps the registered <see cref="IDataProtectionProvider"/>; call once, after <c>AddDataProtection</c>.</summary>
    public static IServiceCollection AddRememberedAntiforgeryTokens(this IServiceCollection services)
    {
        var registered = services.LastOrDefault(service => service.ServiceType == typeof(IDataProtectionProvider) && !service.IsKeyedService)
            ?? throw new InvalidOperationException("Data Protection must be added before its antiforgery payloads are remembered.");
        services.Remove(registered);
        services.AddSingleton<IDataProtectionProvider>(provider =>
        {
            var remembered = new Provider(
                Resolve(registered, provider),
                new UnprotectedPayloads<byte[]>(RememberedPayloads),
                new UnprotectedPayloads<byte[]>(RememberedPayloads));

            // A key revoked or added in this process: nothing is unprotected, or protected, under the old ring from here on.
            if (provider.GetService<IKeyManager>() is { } keys)
            {
                ChangeToken.OnChange(() => new CancellationChangeToken(keys.GetCacheExpirationToken()), remembered.Forget);
            }

            return remembered;
        });
        return services;
    }

    private static IDataProtectionProvider Resolve(ServiceDescriptor registered, IServiceProvider provider) =>
        (IDataProtectionProvider)(registered.ImplementationInstance
            ?? registered.ImplementationFactory?.Invoke(provider)
            ?? ActivatorUtilities.CreateInstance(provider, registered.ImplementationType!));

    private sealed class Provider(IDataProtectionProvider inner, UnprotectedPayloads<byte[]> unprotected, UnprotectedPayloads<byte[]> protectedTokens)
        : IDataProtectionProvider, IDisposable
    {
        public IDataProtector CreateProtector(string purpose) =>
            purpose == AntiforgeryPurpose
                ? new RememberingProtector(inner.CreateProtector(purpose), unprotected, protectedTokens)
                : inner.CreateProtector(purpose);

        public void Forget()
        {
            unprotected.Clear();
            protectedTokens.Clear();
        }

        public void Dispose()
        {
            unprotected.Dispose();
            protectedTokens.Dispose();
        }
    }

    /// <summary>Protects a token once a minute and masks it for every response; unprotects the same bytes once a minute.</summary>
    /// <param name="protectedTokens">Keyed by the plaintext, matched on it, holding what it protected to.</param>
    internal sealed class RememberingProtector(IDataProtector inner, UnprotectedPayloads<byte[]> unprotected, UnprotectedPayloads<byte[]> protectedTokens)
        : IDataProtector
    {
        public IDataProtector CreateProtector(string purpose) => inner.CreateProtector(purpose);

        public byte[] Protect(byte[] plaintext)
        {
            // A cookie token is protected once per cookie, never twice, and a header is not where BREACH reads.
            if (IsCookieToken(plaintext))
            {
                return inner.Protect(plaintext);
            }

            var key = Convert.ToBase64String(plaintext);
            if (!protectedTokens.TryGet(key, plaintext, out var payload))
            {
                payload = inner.Protect(plaintext);
                protectedTokens.Remember(key, [.. plaintext], payload);
            }

            return TokenMask.Apply(payload);
        }

        public byte[] Unprotect(byte[] protectedData)
        {
            if (protectedData.Length > MaxRememberedLength)
            {
                // Nothing of ours is this long: no work on it beyond what Data Protection does to refuse it.
                return inner.Unprotect(protectedData);
            }

            // A cookie, or a page rendered before tokens were masked, carries a plain payload.
            var payload = TokenMask.TryRemove(protectedData, out var unmasked) ? unmasked : protectedData;
            var key = Convert.ToBase64String(payload);
            if (unprotected.TryGet(key, payload, out var remembered))
            {
                return [.. remembered];
            }

            var plaintext = inner.Unprotect(payload);
            unprotected.Remember(key, payload, [.. plaintext]);
            return plaintext;
        }
    }
}
