using DualCache.WebApp.Sessions;
using Microsoft.AspNetCore.DataProtection;

namespace DualCache.WebApp.Security;

/// <summary>
/// Every signed-in page carries antiforgery tokens for its forms. Generating them unprotects the antiforgery cookie,
/// which a browser sends unchanged at every request, hashes the user's claims and protects a fresh request token; in
/// one ablation the three together were most of what a signed-in page cost more than an anonymous one
/// (Benchmarks/README.md). This removes the first: antiforgery reaches Data Protection only through
/// <see cref="IDataProtectionProvider"/>, so the provider is wrapped and, for antiforgery's purpose alone, what a
/// payload unprotected to is remembered, as <see cref="UnprotectedPayloads{T}"/> does for tickets and carts. Only the
/// very same bytes find it; anything else is unprotected (and refused) by Data Protection as before, and a revoked key
/// goes unnoticed for at most the minute a payload is remembered. Each response's request token is still protected
/// afresh. A form post's request token passes through here too and is remembered like a cookie: that takes a slot of
/// the bounded cache and changes nothing else, since a token is only ever accepted with its cookie and user.
/// </summary>
public static class RememberedAntiforgeryCookies
{
    /// <summary>The purpose the framework's antiforgery token serializer asks Data Protection for.</summary>
    public const string AntiforgeryPurpose = "Microsoft.AspNetCore.Antiforgery.AntiforgeryToken.v1";

    private const int RememberedPayloads = 10_000;

    /// <summary>Wraps the registered <see cref="IDataProtectionProvider"/>; call once, after <c>AddDataProtection</c>.</summary>
    public static IServiceCollection AddRememberedAntiforgeryCookies(this IServiceCollection services)
    {
        var registered = services.LastOrDefault(service => service.ServiceType == typeof(IDataProtectionProvider) && !service.IsKeyedService)
            ?? throw new InvalidOperationException("Data Protection must be added before its antiforgery payloads are remembered.");
        services.Remove(registered);
        services.AddSingleton<IDataProtectionProvider>(provider =>
            new Provider(Resolve(registered, provider), new UnprotectedPayloads<byte[]>(RememberedPayloads)));
        return services;
    }

    private static IDataProtectionProvider Resolve(ServiceDescriptor registered, IServiceProvider provider) =>
        (IDataProtectionProvider)(registered.ImplementationInstance
            ?? registered.ImplementationFactory?.Invoke(provider)
            ?? ActivatorUtilities.CreateInstance(provider, registered.ImplementationType!));

    private sealed class Provider(IDataProtectionProvider inner, UnprotectedPayloads<byte[]> unprotected) : IDataProtectionProvider, IDisposable
    {
        public IDataProtector CreateProtector(string purpose) =>
            purpose == AntiforgeryPurpose
                ? new RememberingProtector(inner.CreateProtector(purpose), unprotected)
                : inner.CreateProtector(purpose);

        public void Dispose() => unprotected.Dispose();
    }

    /// <summary>Protects as Data Protection does; unprotects the same bytes once a minute.</summary>
    internal sealed class RememberingProtector(IDataProtector inner, UnprotectedPayloads<byte[]> unprotected) : IDataProtector
    {
        public IDataProtector CreateProtector(string purpose) => inner.CreateProtector(purpose);

        public byte[] Protect(byte[] plaintext) => inner.Protect(plaintext);

        public byte[] Unprotect(byte[] protectedData)
        {
            var key = Convert.ToBase64String(protectedData);
            if (unprotected.TryGet(key, protectedData, out var remembered))
            {
                return [.. remembered];
            }

            var plaintext = inner.Unprotect(protectedData);
            unprotected.Remember(key, protectedData, [.. plaintext]);
            return plaintext;
        }
    }
}
