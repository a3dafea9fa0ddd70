using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;

namespace DualCache.WebApp.Sessions;

/// <summary>
/// Turns a session store that cannot be reached into a page that says sign-in is unavailable right now (503),
/// instead of an error page. It sits outside authentication, because reading the ticket is what fails.
/// </summary>
public sealed partial class SessionStoreUnavailableMiddleware(RequestDelegate next, ILogger<SessionStoreUnavailableMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (SessionStoreUnavailableException exception) when (!context.Response.HasStarted)
        {
            LogSignInUnavailable(logger, context.Request.Method, context.Request.Path, exception);
            context.Response.Clear();
            context.Response.Headers.RetryAfter = "30";

            // Nobody can be known to be signed in without the ticket, so the page is the one an anonymous visitor sees.
            context.User = new ClaimsPrincipal(new ClaimsIdentity());
            var page = new ViewResult { ViewName = "SignInUnavailable", StatusCode = StatusCodes.Status503ServiceUnavailable };
            await page.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor()));
        }
    }

    [LoggerMessage(EventId = 2101, Level = LogLevel.Error, Message = "Sign-in is unavailable for {Method} {Path}: the session store cannot be reached")]
    private static partial void LogSignInUnavailable(ILogger logger, string method, PathString path, Exception exception);
}
