using Microsoft.AspNetCore.DataProtection;

namespace DualCache.Tests.WebApp;

/// <summary>Data Protection that counts its unprotects, to show which payloads are decrypted and how often.</summary>
internal sealed class CountingDataProtection(IDataProtectionProvider inner) : IDataProtectionProvider
{
    private int _unprotects;

    public int Unprotects => Volatile.Read(ref _unprotects);

    public IDataProtector CreateProtector(string purpose) => new Protector(inner.CreateProtector(purpose), this);

    private sealed class Protector(IDataProtector inner, CountingDataProtection counts) : IDataProtector
    {
        public IDataProtector CreateProtector(string purpose) => new Protector(inner.CreateProtector(purpose), counts);

        public byte[] Protect(byte[] plaintext) => inner.Protect(plaintext);

        public byte[] Unprotect(byte[] protectedData)
        {
            Interlocked.Increment(ref counts._unprotects);
            return inner.Unprotect(protectedData);
        }
    }
}
