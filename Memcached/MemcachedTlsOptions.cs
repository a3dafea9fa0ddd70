namespace DualCache.Memcached;

/// <summary>TLS to memcached (<c>memcached -Z</c>). The server certificate is always validated.</summary>
public sealed class MemcachedTlsOptions
{
    public bool Enabled { get; set; }

    /// <summary>The name the certificate must carry; the server's host name when empty.</summary>
    public string? TargetHost { get; set; }

    /// <summary>A PEM file with the certificate authority to trust instead of the system store (a private CA).</summary>
    public string? CertificateAuthorityPath { get; set; }
}
