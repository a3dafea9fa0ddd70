namespace DualCache.WebApp.Security;

/// <summary>
/// Sends the browser's security headers on every response: pages, status and error pages, static files and probes.
/// </summary>
/// <remarks>
/// Written as the response starts, not as the request arrives: the exception handler and the sign-in-unavailable page
/// clear the response's headers before they write their page, and antiforgery adds <c>X-Frame-Options: SAMEORIGIN</c>
/// to the pages it issues a cookie on. The callback registered first runs last, so these values win. ASP.NET Core has
/// no API for these headers (only HSTS), hence this middleware.
/// </remarks>
public sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    /// <summary>
    /// The pages use one stylesheet and no script, so everything is limited to the site itself; no inline style or
    /// script, no plugins, no framing, and forms post only to the site.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>Powerful browser features the shop never uses, denied to the page and to anything it could embed.</summary>
    public const string PermissionsPolicy =
        "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()";

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(static state =>
        {
            var headers = ((HttpResponse)state).Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Permissions-Policy"] = PermissionsPolicy;
            return Task.CompletedTask;
        }, context.Response);
        return next(context);
    }
}
