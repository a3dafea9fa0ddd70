using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DualCache.WebApp.Security;

/// <summary>
/// Every signed-in page carries antiforgery tokens for its forms, and generating them starts by unprotecting the
/// antiforgery cookie, which a browser sends unchanged at every request: under load that was most of what a signed-in
/// page cost more than an anonymous one (Benchmarks/README.md). Antiforgery reaches Data Protection only through
/// <see cref="IDataProtectionProvider"/>, so the provider is wrapped: for antiforgery's purpose alone, what a payload
/// unprotected to is remembered, as <see cref="Sessions.UnprotectedPayloads{T}"/> does for tickets and carts. Only the
/// very same bytes find it; anything else is unprotected (and refused) by Data Protection as before. Each response's
/// request token is still protected afresh, so it stays different on every page.
/// </summary>
public static class RememberedAntiforgeryCookies
{
    /// <summary>The purpose the framework's antiforgery token serializer asks Data Protection for.</summary>
    public const string AntiforgeryPurpose = "Microsoft.AspNetCore.Antiforgery.AntiforgeryToken.v1";

    private const int RememberedPayloads = 10_000;

    /// <summary>Wraps the registered <see cref="IDataProtectionProvider"/>; call after <c>AddDataProtection</c>.</summary>
    public static void Add(IServiceCollection services)
    {
        var registered = services.LastOrDefault(service => service.ServiceType == typeof(IDataProtectionProvider))
            ?? throw new InvalidOperationException("Data Protection must be added before its antiforgery payloads are remembered.");
        services.Replace(ServiceDescriptor.Singleton<IDataProtectionProvider>(provider =>
            new Provider(Resolve(registered, provider), new Sessions.UnprotectedPayloads<byte[]>(RememberedPayloads))));
    }

    private static IDataProtectionProvider Resolve(ServiceDescriptor registered, IServiceProvider provider) =>
        (IDataProtectionProvider)(registered.ImplementationInstance
            ?? registered.ImplementationFactory?.Invoke(provider)
            ?? ActivatorUtilities.CreateInstance(provider, registered.ImplementationType!));

    private sealed class Provider(IDataProtectionProvider inner, Sessions.UnprotectedPayloads<byte[]> unprotected) : IDataProtectionProvider, IDisposable
    {
        public IDataProtector CreateProtector(string purpose) =>
            purpose == AntiforgeryPurpose
                ? new RememberingProtector(inner.CreateProtector(purpose), unprotected)
                : inner.CreateProtector(purpose);

        public void Dispose() => unprotected.Dispose();
    }

    /// <summary>Protects as Data Protection does; unprotects the same bytes once a minute.</summary>
    internal sealed class RememberingProtector(IDataProtector inner, Sessions.UnprotectedPayloads<byte[]> unprotected) : IDataProtector
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
