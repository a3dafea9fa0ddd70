using DualCache.Tests.EndToEnd;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;

namespace DualCache.Tests.WebApp;

/// <summary>Outside Development the keys that protect every ticket and cookie are encrypted on disk, or the app says why it will not start.</summary>
public sealed class DataProtectionKeyTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("dualcache-keys-");

    private string KeysPath => Path.Combine(_folder.FullName, "keys");

    [Fact]
    public async Task Outside_development_the_app_does_not_start_with_unprotected_keys_and_names_both_settings()
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => DualCacheApp.StartAsync(environment: "Production", settings: new Dictionary<string, string?>
        {
            ["DataProtection:AllowUnprotectedKeys"] = null,
        }));

        var message = failure.GetBaseException().Message;
        Assert.Contains("DataProtection:Certificate:Path", message, StringComparison.Ordinal);
        Assert.Contains("DataProtection:AllowUnprotectedKeys", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_a_certificate_the_keys_on_disk_are_encrypted_and_a_restarted_app_still_reads_what_was_protected()
    {
        var certificate = Path.Combine(_folder.FullName, "keys.pfx");
        using (var created = TestCertificate.Create("CN=DualCache Data Protection"))
        {
            TestCertificate.ExportPfx(created, certificate, "pfx-password");
        }

        var settings = new Dictionary<string, string?>
        {
            ["DataProtection:AllowUnprotectedKeys"] = null,
            ["DataProtection:KeysPath"] = KeysPath,
            ["DataProtection:Certificate:Path"] = certificate,
            ["DataProtection:Certificate:Password"] = "pfx-password",
        };
        string protectedPayload;
        await using (var first = await DualCacheApp.StartAsync(environment: "Production", settings: settings))
        {
            protectedPayload = Protector(first).Protect("a sign-in ticket");
        }

        var xml = await KeyXmlAsync();
        Assert.Contains("EncryptedData", xml, StringComparison.Ordinal);
        Assert.DoesNotContain("<value>", xml, StringComparison.Ordinal);

        await using var second = await DualCacheApp.StartAsync(environment: "Production", settings: settings);
        Assert.Equal("a sign-in ticket", Protector(second).Unprotect(protectedPayload));
    }

    [Fact]
    public async Task The_explicit_opt_out_starts_with_plain_keys_as_development_does()
    {
        await using var app = await DualCacheApp.StartAsync(environment: "Production", settings: new Dictionary<string, string?>
        {
            ["DataProtection:AllowUnprotectedKeys"] = "true",
            ["DataProtection:KeysPath"] = KeysPath,
        });
        Protector(app).Protect("a sign-in ticket");

        var xml = await KeyXmlAsync();
        Assert.Contains("<value>", xml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task New_keys_use_AES_GCM_and_what_an_older_CBC_key_protected_still_reads()
    {
        // A key ring as an earlier version of the app left it: one key of the framework's default algorithm.
        var older = new ServiceCollection();
        older.AddDataProtection().SetApplicationName("DualCache").PersistKeysToFileSystem(new DirectoryInfo(KeysPath));
        string fromOlderKey;
        await using (var services = older.BuildServiceProvider())
        {
            fromOlderKey = services.GetRequiredService<IDataProtectionProvider>().CreateProtector("DataProtectionKeyTests").Protect("a sign-in ticket");
        }

        var settings = new Dictionary<string, string?> { ["DataProtection:KeysPath"] = KeysPath };
        await using (var app = await DualCacheApp.StartAsync(settings: settings))
        {
            Assert.Equal("a sign-in ticket", Protector(app).Unprotect(fromOlderKey));
        }

        Assert.Contains("AES_256_CBC", await KeyXmlAsync(), StringComparison.Ordinal);

        // A fresh key ring (the next key, when the older one expires) is made with GCM.
        Directory.Delete(KeysPath, recursive: true);
        await using (var app = await DualCacheApp.StartAsync(settings: settings))
        {
            var payload = Protector(app).Protect("a sign-in ticket");
            Assert.Equal("a sign-in ticket", Protector(app).Unprotect(payload));
        }

        Assert.Contains("<encryption algorithm=\"AES_256_GCM\"", await KeyXmlAsync(), StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Delete(recursive: true);

    /// <summary>The key ring's one key file.</summary>
    private Task<string> KeyXmlAsync() => File.ReadAllTextAsync(Assert.Single(Directory.GetFiles(KeysPath, "*.xml")));

    private static IDataProtector Protector(DualCacheApp app) =>
        app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("DataProtectionKeyTests");
}
