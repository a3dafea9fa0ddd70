using Microsoft.AspNetCore.Mvc;

namespace DualCache.WebApp.Cart;

/// <summary>The number of items in the cart, in the page header of a signed-in visitor.</summary>
public sealed class CartSummaryViewComponent(VisitorCart cart) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync()
    {
        if (User.Identity?.IsAuthenticated != true)
        {
            return Content("");
        }

        return Content(await cart.ReadAsync(UserClaimsPrincipal, HttpContext.RequestAborted) is { } read ? $"({read.ItemCount})" : "(unavailable)");
    }
}
