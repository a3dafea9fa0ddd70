using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DualCache.Memcached;

namespace DualCache.Tests.Integration;

public sealed class SecurityTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("dualcache-security-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public async Task With_ascii_authentication_the_right_credentials_work_and_wrong_ones_are_refused()
    {
        var authFile = Path.Combine(_directory.FullName, "auth");
        await File.WriteAllTextAsync(authFile, "app:s3cret\n");
        await using var server = await LocalMemcached.StartAsync(new LocalMemcachedOptions { Arguments = ["-Y", authFile] });

        await using var authenticated = Client(server, o => (o.Username, o.Password) = ("app", "s3cret"));
        await authenticated.SetAsync("secured", "yes"u8.ToArray());
        Assert.Equal("yes"u8.ToArray(), await authenticated.GetAsync("secured"));

        await using var wrongPassword = Client(server, o => (o.Username, o.Password) = ("app", "wrong"));
        var refused = await Assert.ThrowsAsync<MemcachedServerUnavailableException>(async () => await wrongPassword.GetAsync("secured"));
        Assert.Contains("refused the credentials", refused.Message, StringComparison.Ordinal);

        await using var anonymous = Client(server);
        await Assert.ThrowsAnyAsync<MemcachedException>(async () => await anonymous.GetAsync("secured"));
    }

    [Fact]
    public async Task With_tls_the_client_talks_to_a_server_whose_certificate_it_trusts()
    {
        var (caPath, chainPath, keyPath) = CreateCertificates("127.0.0.1");
        await using var server = await StartTlsServerAsync(chainPath, keyPath);

        await using var client = Client(server, o => (o.Tls.Enabled, o.Tls.CertificateAuthorityPath) = (true, caPath));
        await client.SetAsync("over-tls", "encrypted"u8.ToArray());

        Assert.Equal("encrypted"u8.ToArray(), await client.GetAsync("over-tls"));
        Assert.All(await client.GetVersionsAsync(), v => Assert.Null(v.Error));
    }

    [Fact]
    public async Task With_tls_a_certificate_nobody_vouches_for_is_refused_by_default()
    {
        var (_, chainPath, keyPath) = CreateCertificates("127.0.0.1");
        await using var server = await StartTlsServerAsync(chainPath, keyPath);

        await using var client = Client(server, o => o.Tls.Enabled = true);

        var refused = await Assert.ThrowsAsync<MemcachedServerUnavailableException>(async () => await client.GetAsync("k"));
        Assert.Contains("TLS handshake", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_tls_a_certificate_for_another_host_name_is_refused()
    {
        var (caPath, chainPath, keyPath) = CreateCertificates("cache.example");
        await using var server = await StartTlsServerAsync(chainPath, keyPath);

        await using var client = Client(server, o => (o.Tls.Enabled, o.Tls.CertificateAuthorityPath) = (true, caPath));

        await Assert.ThrowsAsync<MemcachedServerUnavailableException>(async () => await client.GetAsync("k"));
    }

    private static Task<LocalMemcached> StartTlsServerAsync(string chainPath, string keyPath) =>
        LocalMemcached.StartAsync(new LocalMemcachedOptions { Arguments = ["-Z", "-o", $"ssl_chain_cert={chainPath},ssl_key={keyPath}"] });

    private static MemcachedClient Client(LocalMemcached server, Action<MemcachedClientOptions>? configure = null)
    {
        var options = new MemcachedClientOptions { Servers = server.ConnectionString, OperationTimeout = TimeSpan.FromSeconds(10) };
        configure?.Invoke(options);
        return new MemcachedClient("sessions", options);
    }

    /// <summary>A private CA and a server certificate it signed for <paramref name="serverName"/>, as PEM files.</summary>
    private (string CaPath, string ChainPath, string KeyPath) CreateCertificates(string serverName)
    {
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=DualCache test CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));

        using var serverKey = RSA.Create(2048);
        var serverRequest = new CertificateRequest($"CN={serverName}", serverKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        if (System.Net.IPAddress.TryParse(serverName, out var address))
        {
            names.AddIpAddress(address);
        }
        else
        {
            names.AddDnsName(serverName);
        }

        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var serverCertificate = serverRequest.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(29), RandomNumberGenerator.GetBytes(8));

        var caPath = Path.Combine(_directory.FullName, "ca.pem");
        var chainPath = Path.Combine(_directory.FullName, $"{serverName}.pem");
        var keyPath = Path.Combine(_directory.FullName, $"{serverName}.key");
        File.WriteAllText(caPath, ca.ExportCertificatePem());
        File.WriteAllText(chainPath, serverCertificate.ExportCertificatePem() + "\n" + ca.ExportCertificatePem());
        File.WriteAllText(keyPath, serverKey.ExportPkcs8PrivateKeyPem());
        return (caPath, chainPath, keyPath);
    }
}
