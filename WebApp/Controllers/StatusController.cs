using DualCache.WebApp.Models;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace DualCache.WebApp.Controllers;

/// <summary>The pages for error status codes, re-executed by the status code pages and exception handler middleware.</summary>
[AllowAnonymous]
[IgnoreAntiforgeryToken]
public sealed class StatusController : Controller
{
    [Route("status/{code:int}")]
    public IActionResult Status(int code) => View(code switch
    {
        StatusCodes.Status400BadRequest => new StatusViewModel(code, "Bad request", "The request was refused. A form sent without its antiforgery token, or after it expired, ends here: go back, reload the page and try again."),
        StatusCodes.Status403Forbidden => new StatusViewModel(code, "Forbidden", "Your account may not do this."),
        StatusCodes.Status404NotFound => new StatusViewModel(code, "Not found", "There is nothing at this address."),
        StatusCodes.Status429TooManyRequests => new StatusViewModel(code, "Too many attempts", "Too many sign-in attempts came from your address. Wait a minute, then try again."),
        _ => new StatusViewModel(code, "Something went wrong", "The request could not be completed."),
    });

    [Route("error")]
    public IActionResult Error() => View(nameof(Status), new StatusViewModel(StatusCodes.Status500InternalServerError, "Something went wrong", "The request could not be completed. It was logged."));
}
