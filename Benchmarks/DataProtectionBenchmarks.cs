using BenchmarkDotNet.Attributes;
using DualCache.WebApp.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.AuthenticatedEncryption;
using Microsoft.AspNetCore.DataProtection.AuthenticatedEncryption.ConfigurationModel;
using Microsoft.Extensions.DependencyInjection;

namespace DualCache.Benchmarks;

/// <summary>
/// One protect and one unprotect of a request-token-sized payload, with the framework's default algorithms
/// (AES-256-CBC and HMACSHA256) and with the AES-256-GCM the web app configures: every signed-in page protects a
/// fresh antiforgery request token, and a first read of a cookie, ticket or cart unprotects.
/// </summary>
[MemoryDiagnoser]
public class DataProtectionBenchmarks
{
    private ServiceProvider _services = null!;
    private DirectoryInfo _keys = null!;
    private IDataProtector _protector = null!;
    private readonly byte[] _payload = new byte[70];
    private byte[] _protected = null!;

    [Params(EncryptionAlgorithm.AES_256_CBC, EncryptionAlgorithm.AES_256_GCM)]
    public EncryptionAlgorithm Algorithm { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _keys = Directory.CreateTempSubdirectory("dualcache-bench-keys-");
        var services = new ServiceCollection();
        services.AddDataProtection()
            .SetApplicationName("DualCache")
            .PersistKeysToFileSystem(_keys)
            .UseCryptographicAlgorithms(new AuthenticatedEncryptorConfiguration { EncryptionAlgorithm = Algorithm });
        _services = services.BuildServiceProvider();
        _protector = _services.GetRequiredService<IDataProtectionProvider>().CreateProtector(RememberedAntiforgeryTokens.AntiforgeryPurpose);
        Random.Shared.NextBytes(_payload);
        _protected = _protector.Protect(_payload);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _services.Dispose();
        _keys.Delete(recursive: true);
    }

    [Benchmark]
    public byte[] Protect() => _protector.Protect(_payload);

    [Benchmark]
    public byte[] Unprotect() => _protector.Unprotect(_protected);
}
