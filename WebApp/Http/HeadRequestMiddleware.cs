using Microsoft.AspNetCore.Http.Features;

namespace DualCache.WebApp.Http;

/// <summary>
/// Answers HEAD wherever GET is answered: MVC's [HttpGet] does not match HEAD, so a monitor or a link checker asking
/// HEAD / got 405. The request runs as a GET with its body written nowhere, so status and headers are the GET's.
/// </summary>
public sealed class HeadRequestMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await next(context);
            return;
        }

        var body = context.Features.GetRequiredFeature<IHttpResponseBodyFeature>();
        context.Request.Method = HttpMethods.Get;
        context.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(Stream.Null, body));
        try
        {
            await next(context);
        }
        finally
        {
            context.Features.Set(body);
            context.Request.Method = HttpMethods.Head;
        }
    }
}
