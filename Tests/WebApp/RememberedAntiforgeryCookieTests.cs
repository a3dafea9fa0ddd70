using System.Security.Claims;
using DualCache.WebApp.Security;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace DualCache.Tests.WebApp;

/// <summary>
/// The framework's antiforgery, with the app's Data Protection: a signed-in visitor's unchanged antiforgery cookie is
/// decrypted once over many page views, every page still gets a request token of its own, and a form post is checked
/// exactly as before.
/// </summary>
public sealed class RememberedAntiforgeryCookieTests : IDisposable
{
    private readonly CountingDataProtection _keys = new(new EphemeralDataProtectionProvider());
    private readonly ServiceProvider _services;
    private readonly IAntiforgery _antiforgery;
    private readonly ClaimsPrincipal _user = new(new ClaimsIdentity([new Claim(ClaimTypes.Name, "Uma"), new Claim(ClaimTypes.NameIdentifier, "7")], "test"));

    public RememberedAntiforgeryCookieTests()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<IDataProtectionProvider>(_keys);
        services.AddAntiforgery(options => options.Cookie.Name = "antiforgery");
        services.AddRememberedAntiforgeryCookies();
        _services = services.BuildServiceProvider();
        _antiforgery = _services.GetRequiredService<IAntiforgery>();
    }

    [Fact]
    public void An_unchanged_antiforgery_cookie_is_decrypted_once_over_many_page_views()
    {
        var cookie = NewCookie();

        var requestTokens = Enumerable.Range(0, 5).Select(_ => _antiforgery.GetAndStoreTokens(Request(cookie)).RequestToken).ToList();

        Assert.Equal(1, _keys.Unprotects);
        Assert.Equal(5, requestTokens.Distinct().Count());
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

        Assert.IsType<RememberedAntiforgeryCookies.RememberingProtector>(provider.CreateProtector(RememberedAntiforgeryCookies.AntiforgeryPurpose));
        Assert.IsNotType<RememberedAntiforgeryCookies.RememberingProtector>(provider.CreateProtector("DualCache.Something"));
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

    private DefaultHttpContext Request(string? cookie)
    {
        var context = new DefaultHttpContext { RequestServices = _services, User = _user };
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
}
