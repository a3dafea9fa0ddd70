using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;

namespace DualCache.WebApp.Security;

/// <summary>
/// How the Data Protection keys are protected on disk. Whoever reads a key can forge any visitor's cookie, so outside
/// Development the app starts only with a certificate to encrypt them or with an explicit opt-out.
/// </summary>
public static class KeyProtection
{
    public const string CertificatePathSetting = "DataProtection:Certificate:Path";
    public const string CertificatePasswordSetting = "DataProtection:Certificate:Password";
    public const string AllowUnprotectedKeysSetting = "DataProtection:AllowUnprotectedKeys";

    /// <summary>
    /// Encrypts every key to the certificate in <c>DataProtection:Certificate:Path</c> (a .pfx with its private key),
    /// and decrypts with it. Without one, <c>DataProtection:AllowUnprotectedKeys=true</c> keeps the keys in plain XML;
    /// in Development that is the default.
    /// </summary>
    public static IDataProtectionBuilder ProtectKeysAtRest(this IDataProtectionBuilder keys, IConfiguration configuration, IHostEnvironment environment)
    {
        if (configuration[CertificatePathSetting] is { Length: > 0 } path)
        {
            var certificate = Load(path, configuration[CertificatePasswordSetting]);
            return keys.ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate(certificate);
        }

        if (environment.IsDevelopment() || AllowsUnprotectedKeys(configuration[AllowUnprotectedKeysSetting]))
        {
            return keys;
        }

        throw new InvalidOperationException(
            $"Outside Development the Data Protection keys must be protected at rest: set {CertificatePathSetting} (a .pfx " +
            $"with a private key, and {CertificatePasswordSetting}), or set {AllowUnprotectedKeysSetting}=true where the " +
            "keys' volume is already encrypted and private.");
    }

    private static bool AllowsUnprotectedKeys(string? setting) =>
        string.IsNullOrWhiteSpace(setting)
            ? false
            : bool.TryParse(setting, out var allowed)
                ? allowed
                : throw new InvalidOperationException($"{AllowUnprotectedKeysSetting} has '{setting}', which is neither true nor false.");

    private static X509Certificate2 Load(string path, string? password)
    {
        try
        {
            var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password);
            return certificate.HasPrivateKey
                ? certificate
                : throw new InvalidOperationException($"{CertificatePathSetting} has '{path}', whose certificate has no private key.");
        }
        catch (Exception exception) when (exception is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"{CertificatePathSetting} has '{path}', which could not be read as a .pfx with {CertificatePasswordSetting}: {exception.Message}", exception);
        }
    }
}
