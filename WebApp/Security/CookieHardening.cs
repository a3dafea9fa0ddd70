namespace DualCache.WebApp.Security;

/// <summary>
/// One policy for every cookie the app or the framework writes (sign-in, antiforgery, TempData), through ASP.NET
/// Core's cookie policy rather than each cookie's own options, so that a cookie added later cannot forget it.
/// </summary>
public static class CookieHardening
{
    /// <summary>
    /// Every cookie <c>HttpOnly</c> and <c>SameSite=Lax</c> or stricter; outside Development always <c>Secure</c>, in
    /// Development <c>Secure</c> over HTTPS only, so that http://localhost still signs in.
    /// </summary>
    public static void Configure(CookiePolicyOptions policy, IHostEnvironment environment)
    {
        policy.HttpOnly = Microsoft.AspNetCore.CookiePolicy.HttpOnlyPolicy.Always;
        policy.MinimumSameSitePolicy = SameSiteMode.Lax;
        policy.Secure = environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
    }
}
