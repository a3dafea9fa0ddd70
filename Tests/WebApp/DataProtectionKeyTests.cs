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

        var key = Assert.Single(Directory.GetFiles(KeysPath, "*.xml"));
        var xml = await File.ReadAllTextAsync(key);
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

        var xml = await File.ReadAllTextAsync(Assert.Single(Directory.GetFiles(KeysPath, "*.xml")));
        Assert.Contains("<value>", xml, StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Delete(recursive: true);

    private static IDataProtector Protector(DualCacheApp app) =>
        app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("DataProtectionKeyTests");
}
