using System.Security.Claims;
using DualCache.Memcached;
using DualCache.ServiceDefaults;
using DualCache.WebApp.Accounts;
using DualCache.WebApp.Caching;
using DualCache.WebApp.Cart;
using DualCache.WebApp.Models;
using DualCache.WebApp.Sessions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DualCache.WebApp.Controllers;

[Route("account")]
public sealed partial class AccountController(
    AccountAuthenticator authenticator,
    CartStore carts,
    IEnumerable<DemoAccount> demoAccounts,
    [FromKeyedServices(CacheRoles.Sessions)] IMemcachedClient sessions,
    HealthCheckResultCache recentChecks,
    ILogger<AccountController> logger) : Controller
{
    private const string SessionStoreAnswers = "sign-in page: a session server answers";

    /// <summary>
    /// The form; with no session server answering it says so up front, before a password is typed in vain, and
    /// looks again by itself. Whether one answers is asked with a <c>version</c> round trip to each at most once per
    /// health-check window (<c>HealthChecks:ResultCacheDuration</c>), whatever the number of views: the page is public.
    /// </summary>
    [HttpGet("signin")]
    public async Task<IActionResult> SignInForm(string? returnUrl, CancellationToken cancellationToken)
    {
        var answers = await recentChecks.GetOrRunAsync(SessionStoreAnswers, async () =>
            (await sessions.GetVersionsAsync(CancellationToken.None)).Any(server => server.Error is null)
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy(), cancellationToken);
        return View("SignIn", Page(new SignInForm(), returnUrl) with { SessionStoreDown = answers.Status == HealthStatus.Unhealthy });
    }

    [HttpPost("signin")]
    [EnableRateLimiting(SignInLimitOptions.RateLimitPolicy)]
    public async Task<IActionResult> SignInWithPassword(SignInForm form, string? returnUrl, CancellationToken cancellationToken)
    {
        // Signing in again on top of a live ticket would make the cookie handler renew that ticket's key instead of
        // creating a new one; every sign-in must start from a signed-out request to get a key of its own.
        if (User.Identity?.IsAuthenticated == true)
        {
            return RedirectToAction(nameof(SignInForm), new { returnUrl });
        }

        if (!ModelState.IsValid)
        {
            return View("SignIn", Page(form, returnUrl));
        }

        var account = await authenticator.AuthenticateAsync(form.Email, form.Password, cancellationToken);
        if (account is null)
        {
            // The attempted email only at Debug: people type their password into the email field, and a failed
            // attempt names someone who may have no account here. The warning says only that one failed.
            LogSignInFailed(logger);
            LogSignInFailedAs(logger, form.Email);
            ModelState.AddModelError(string.Empty, "The email or the password is wrong.");
            return View("SignIn", Page(form with { Password = "" }, returnUrl));
        }

        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, account.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new Claim(ClaimTypes.Name, account.DisplayName),
                new Claim(ClaimTypes.Email, account.Email),
                new Claim(ClaimTypes.Role, account.Role),
            ],
            CookieAuthenticationDefaults.AuthenticationScheme);
        await HttpContext.SignInAsync(new ClaimsPrincipal(identity), new AuthenticationProperties { IsPersistent = false });
        LogSignedIn(logger, account.Email);

        return LocalRedirect(Url.IsLocalUrl(returnUrl) ? returnUrl : "/");
    }

    [HttpPost("signout")]
    public async Task<IActionResult> SignOutOfAccount(CancellationToken cancellationToken)
    {
        // The cart belongs to this sign-in; the next one, of whatever account, gets a new key and starts empty.
        if (SignInKey.Of(User) is { } signInKey)
        {
            await carts.RemoveAsync(signInKey, cancellationToken);
        }

        await HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return Redirect("/");
    }

    [HttpGet("access-denied")]
    public IActionResult AccessDenied()
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return View();
    }

    private SignInViewModel Page(SignInForm form, string? returnUrl) => new(form, returnUrl, [.. demoAccounts]);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "{Email} signed in")]
    private static partial void LogSignedIn(ILogger logger, string email);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "A sign-in failed: wrong email or password")]
    private static partial void LogSignInFailed(ILogger logger);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Debug, Message = "The failed sign-in was as {Email}")]
    private static partial void LogSignInFailedAs(ILogger logger, string email);
}
