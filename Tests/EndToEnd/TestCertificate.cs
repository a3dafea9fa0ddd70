using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DualCache.Tests.EndToEnd;

/// <summary>Self-signed certificates made by the tests: HTTPS on loopback, and Data Protection's key encryption.</summary>
public static class TestCertificate
{
    /// <summary>The certificate the app serves HTTPS with outside Development; the tests' clients trust it and only it.</summary>
    public static X509Certificate2 Https { get; } = Create("CN=127.0.0.1");

    /// <summary>A new self-signed RSA certificate with its private key, valid for 127.0.0.1 and localhost.</summary>
    public static X509Certificate2 Create(string subject)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));

        // Through PKCS#12 and back, so that the private key is one the platform can use wherever the certificate goes.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), password: null);
    }

    /// <summary>Writes <paramref name="certificate"/> with its private key to a .pfx file under <paramref name="password"/>.</summary>
    public static void ExportPfx(X509Certificate2 certificate, string path, string password) =>
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, password));

    /// <summary>For an HttpClientHandler: the app's test certificate is trusted, and nothing else that fails validation.</summary>
    public static bool IsTrusted(X509Certificate2? certificate, System.Net.Security.SslPolicyErrors errors) =>
        errors == System.Net.Security.SslPolicyErrors.None || certificate?.Thumbprint == Https.Thumbprint;
}
