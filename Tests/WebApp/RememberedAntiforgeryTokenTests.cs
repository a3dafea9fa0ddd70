using System.Security.Claims;
using DualCache.WebApp.Security;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;

namespace DualCache.Tests.WebApp;

/// <summary>
/// The framework's antiforgery, with the app's Data Protection: a signed-in visitor's unchanged antiforgery cookie is
/// decrypted once over many page views, its request token is encrypted once and reaches every page under a mask of
/// that page's own, and a form post is checked exactly as before.
/// </summary>
public sealed class RememberedAntiforgeryTokenTests : IDisposable
{
    private readonly CountingDataProtection _keys = new(new EphemeralDataProtectionProvider());
    private readonly ServiceProvider _services;
    private readonly IAntiforgery _antiforgery;
    private readonly ClaimsPrincipal _user = User("Uma", "7");

    public RememberedAntiforgeryTokenTests()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<IDataProtectionProvider>(_keys);
        services.AddAntiforgery(options => options.Cookie.Name = "antiforgery");
        services.AddRememberedAntiforgeryTokens();
        _services = services.BuildServiceProvider();
        _antiforgery = _services.GetRequiredService<IAntiforgery>();
    }

    [Fact]
    public void An_unchanged_antiforgery_cookie_is_decrypted_once_and_its_token_encrypted_once_over_many_page_views()
    {
        var cookie = NewCookie();

        var requestTokens = Enumerable.Range(0, 5).Select(_ => _antiforgery.GetAndStoreTokens(Request(cookie)).RequestToken).ToList();

        Assert.Equal(1, _keys.Unprotects);
        // The first page's cookie and its request token; the same cookie and user make the same token after that.
        Assert.Equal(2, _keys.Protects);
        Assert.Equal(5, requestTokens.Distinct().Count());
    }

    [Fact]
    public void No_two_pages_carry_the_same_bytes_of_a_token()
    {
        var cookie = NewCookie();

        // Enough pages to use up more than one block of the random bytes a thread draws at once.
        var tokens = Enumerable.Range(0, 100).Select(_ => WebEncoders.Base64UrlDecode(_antiforgery.GetAndStoreTokens(Request(cookie)).RequestToken!)).ToList();

        // A compression attack needs bytes that repeat across responses. Beyond the marker, two masked tokens agree
        // only where two random bytes happen to: about 1 position in 256.
        foreach (var (first, second) in tokens.Zip(tokens.Skip(1)))
        {
            Assert.Equal(first.Length, second.Length);
            var same = first.AsSpan(1).ToArray().Zip(second.AsSpan(1).ToArray()).Count(pair => pair.First == pair.Second);
            Assert.True(same < first.Length / 16, $"{same} of {first.Length} bytes repeat between two pages' tokens");
        }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.25)]
    [InlineData(0.75)]
    [InlineData(1.0)]
    public async Task A_token_with_a_changed_mask_or_payload_is_refused(double where)
    {
        var cookie = NewCookie();
        var token = WebEncoders.Base64UrlDecode(_antiforgery.GetAndStoreTokens(Request(cookie)).RequestToken!);

        // Checked once as it is, so that the changed one meets the remembered payloads too.
        await _antiforgery.ValidateRequestAsync(Post(cookie, WebEncoders.Base64UrlEncode(token)));
        token[1 + (int)(where * (token.Length - 2))] ^= 0x20;

        await Assert.ThrowsAsync<AntiforgeryValidationException>(() => _antiforgery.ValidateRequestAsync(Post(cookie, WebEncoders.Base64UrlEncode(token))));
    }

    [Fact]
    public void The_cookie_stays_a_plain_Data_Protection_payload()
    {
        var cookie = WebEncoders.Base64UrlDecode(NewCookie());

        // Data Protection's magic header: the cookie is what the framework alone would set, readable by a build without the mask.
        Assert.Equal([0x09, 0xF0, 0xC9, 0xF0], cookie[..4]);
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { (byte)'M' })]
    [InlineData(new byte[] { (byte)'M', 1, 2, 3 })]
    [InlineData(new byte[] { 0x09, 1, 2 })]
    public void Only_a_marker_then_two_halves_of_one_length_count_as_masked(byte[] bytes)
    {
        Assert.False(TokenMask.TryRemove(bytes, out _));
    }

    [Fact]
    public void When_the_key_ring_changes_the_cookie_is_decrypted_and_the_token_encrypted_again()
    {
        using var keyRing = new ChangingKeyRing();
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<IDataProtectionProvider>(_keys);
        services.AddSingleton<IKeyManager>(keyRing);
        services.AddAntiforgery(options => options.Cookie.Name = "antiforgery");
        services.AddRememberedAntiforgeryTokens();
        using var provider = services.BuildServiceProvider();
        var antiforgery = provider.GetRequiredService<IAntiforgery>();
        var first = new DefaultHttpContext { RequestServices = provider, User = _user };
        antiforgery.GetAndStoreTokens(first);
        var setCookie = first.Response.Headers.SetCookie.ToString();
        var cookie = setCookie["antiforgery=".Length..setCookie.IndexOf(';', StringComparison.Ordinal)];
        void PageView()
        {
            var page = new DefaultHttpContext { RequestServices = provider, User = _user };
            page.Request.Headers.Cookie = $"antiforgery={cookie}";
            antiforgery.GetAndStoreTokens(page);
        }

        PageView();
        PageView();
        Assert.Equal((1, 2), (_keys.Unprotects, _keys.Protects));

        // A key revoked or made in this process: what was remembered under the old ring is not used again.
        keyRing.Change();
        PageView();
        PageView();

        Assert.Equal((2, 3), (_keys.Unprotects, _keys.Protects));
    }

    [Fact]
    public async Task A_token_from_before_masking_still_passes_and_another_users_token_does_not()
    {
        var cookie = NewCookie();
        var masked = WebEncoders.Base64UrlDecode(_antiforgery.GetAndStoreTokens(Request(cookie)).RequestToken!);
        Assert.True(TokenMask.TryRemove(masked, out var plain));

        await _antiforgery.ValidateRequestAsync(Post(cookie, WebEncoders.Base64UrlEncode(plain)));
        var othersToken = _antiforgery.GetAndStoreTokens(Request(cookie, User("Ola", "8"))).RequestToken!;
        await Assert.ThrowsAsync<AntiforgeryValidationException>(() => _antiforgery.ValidateRequestAsync(Post(cookie, othersToken)));
    }

    [Fact]
    public async Task A_form_post_with_a_page_token_passes_and_with_a_changed_cookie_is_refused()
    {
        var cookie = NewCookie();
        var token = _antiforgery.GetAndStoreTokens(Request(cookie)).RequestToken!;

        await _antiforgery.ValidateRequestAsync(Post(cookie, token));
        var changed = cookie[..^2] + (cookie[^2] == 'A' ? 'B' : 'A') + cookie[^1];
        await Assert.ThrowsAsync<AntiforgeryValidationException>(() => _antiforgery.ValidateRequestAsync(Post(changed, token)));
        await Assert.ThrowsAsync<AntiforgeryValidationException>(() => _antiforgery.ValidateRequestAsync(Post(changed, token)));
    }

    [Fact]
    public void Other_payloads_are_decrypted_by_Data_Protection_every_time()
    {
        var protector = _services.GetRequiredService<IDataProtectionProvider>().CreateProtector("DualCache.Something");
        var payload = protector.Protect([1, 2, 3]);

        protector.Unprotect(payload);
        protector.Unprotect(payload);

        Assert.Equal(2, _keys.Unprotects);
    }

    [Fact]
    public async Task The_app_itself_remembers_antiforgery_payloads_and_no_others()
    {
        using var folder = new DevelopmentFolder();
        await using var app = folder.App();
        var provider = app.Services.GetRequiredService<IDataProtectionProvider>();

        Assert.IsType<RememberedAntiforgeryTokens.RememberingProtector>(provider.CreateProtector(RememberedAntiforgeryTokens.AntiforgeryPurpose));
        Assert.IsNotType<RememberedAntiforgeryTokens.RememberingProtector>(provider.CreateProtector("DualCache.Something"));
    }

    public void Dispose() => _services.Dispose();

    /// <summary>The antiforgery cookie a first page gives a browser.</summary>
    private string NewCookie()
    {
        var first = Request(cookie: null);
        _antiforgery.GetAndStoreTokens(first);
        var setCookie = first.Response.Headers.SetCookie.ToString();
        return setCookie["antiforgery=".Length..setCookie.IndexOf(';', StringComparison.Ordinal)];
    }

    private static ClaimsPrincipal User(string name, string id) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.NameIdentifier, id)], "test"));

    private DefaultHttpContext Request(string? cookie, ClaimsPrincipal? user = null)
    {
        var context = new DefaultHttpContext { RequestServices = _services, User = user ?? _user };
        if (cookie is not null)
        {
            context.Request.Headers.Cookie = $"antiforgery={cookie}";
        }

        return context;
    }

    private DefaultHttpContext Post(string cookie, string token)
    {
        var context = Request(cookie);
        context.Request.Method = "POST";
        context.Request.ContentType = "application/x-www-form-urlencoded";
        context.Request.Form = new FormCollection(new() { ["__RequestVerificationToken"] = token });
        return context;
    }

    /// <summary>Only the signal a key manager gives when its keys change; the keys themselves are the ephemeral provider's.</summary>
    private sealed class ChangingKeyRing : IKeyManager, IDisposable
    {
        private CancellationTokenSource _changed = new();

        public void Change()
        {
            using var old = Interlocked.Exchange(ref _changed, new CancellationTokenSource());
            old.Cancel();
        }

        public void Dispose() => _changed.Dispose();

        public CancellationToken GetCacheExpirationToken() => Volatile.Read(ref _changed).Token;

        public IKey CreateNewKey(DateTimeOffset activationDate, DateTimeOffset expirationDate) => throw new NotSupportedException();

        public IReadOnlyCollection<IKey> GetAllKeys() => throw new NotSupportedException();

        public void RevokeAllKeys(DateTimeOffset revocationDate, string? reason = null) => throw new NotSupportedException();

        public void RevokeKey(Guid keyId, string? reason = null) => throw new NotSupportedException();
    }
}
