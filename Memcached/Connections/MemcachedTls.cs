using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace DualCache.Memcached.Connections;

/// <summary>The TLS client settings: the system's trust, or a private certificate authority; never "accept anything".</summary>
internal static class MemcachedTls
{
    public static SslClientAuthenticationOptions ClientOptions(MemcachedEndPoint endPoint, MemcachedTlsOptions tls)
    {
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = string.IsNullOrEmpty(tls.TargetHost) ? endPoint.Host : tls.TargetHost,
        };

        if (!string.IsNullOrEmpty(tls.CertificateAuthorityPath))
        {
            var authorities = new X509Certificate2Collection();
            authorities.ImportFromPemFile(tls.CertificateAuthorityPath);
            options.CertificateChainPolicy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                RevocationMode = X509RevocationMode.NoCheck,
            };
            options.CertificateChainPolicy.CustomTrustStore.AddRange(authorities);
        }

        return options;
    }
}
