using Microsoft.AspNetCore.DataProtection;

namespace DualCache.Tests.WebApp;

/// <summary>Data Protection that counts its protects and unprotects, to show which payloads are encrypted or decrypted and how often.</summary>
internal sealed class CountingDataProtection(IDataProtectionProvider inner) : IDataProtectionProvider
{
    private int _unprotects;
    private int _protects;

    public int Unprotects => Volatile.Read(ref _unprotects);

    public int Protects => Volatile.Read(ref _protects);

    public IDataProtector CreateProtector(string purpose) => new Protector(inner.CreateProtector(purpose), this);

    private sealed class Protector(IDataProtector inner, CountingDataProtection counts) : IDataProtector
    {
        public IDataProtector CreateProtector(string purpose) => new Protector(inner.CreateProtector(purpose), counts);

        public byte[] Protect(byte[] plaintext)
        {
            Interlocked.Increment(ref counts._protects);
            return inner.Protect(plaintext);
        }

        public byte[] Unprotect(byte[] protectedData)
        {
            Interlocked.Increment(ref counts._unprotects);
            return inner.Unprotect(protectedData);
        }
    }
}
