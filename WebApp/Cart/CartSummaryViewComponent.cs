using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;

namespace DualCache.WebApp.Cart;

/// <summary>The number of items in the cart, in the page header of a signed-in visitor.</summary>
public sealed class CartSummaryViewComponent : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync()
    {
        // The feature rather than HttpContext.Session: on the page rendered for an unreachable session store the
        // session middleware has already let go of the session, and HttpContext.Session would throw.
        if (User.Identity?.IsAuthenticated != true || HttpContext.Features.Get<ISessionFeature>()?.Session is not { } session)
        {
            return Content("");
        }

        var cart = await session.LoadCartAsync(HttpContext.RequestAborted);
        return Content(session.IsAvailable ? $"({cart.ItemCount})" : "(unavailable)");
    }
}
