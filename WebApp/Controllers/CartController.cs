using DualCache.WebApp.Cart;
using DualCache.WebApp.Catalog;
using DualCache.WebApp.Models;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace DualCache.WebApp.Controllers;

[Authorize]
[Route("cart")]
public sealed class CartController(CatalogService catalog, VisitorCart cart) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken) => Page(await cart.ReadAsync(User, cancellationToken));

    [HttpPost("add")]
    public async Task<IActionResult> Add(int productId, CancellationToken cancellationToken)
    {
        var product = (await catalog.GetProductAsync(productId, cancellationToken)).Value;
        if (product is null)
        {
            return NotFound();
        }

        return await cart.AddAsync(User, product, cancellationToken) switch
        {
            null => Page(null),
            { Outcome: CartUpdateOutcome.Updated } => RedirectToAction(nameof(Index)),
            { Outcome: CartUpdateOutcome.TooLarge } update => Page(update.Cart, CartNotice.Full, StatusCodes.Status409Conflict),
            var update => Page(update.Cart, CartNotice.Busy, StatusCodes.Status409Conflict),
        };
    }

    [HttpPost("clear")]
    public async Task<IActionResult> Clear(CancellationToken cancellationToken) =>
        await cart.ClearAsync(User, cancellationToken) ? RedirectToAction(nameof(Index)) : Page(null);

    /// <summary>The cart page; without a cart it says the session store cannot be reached, with a 503 and Retry-After.</summary>
    private ViewResult Page(ShoppingCart? shown, CartNotice notice = CartNotice.None, int status = StatusCodes.Status200OK)
    {
        if (shown is null)
        {
            notice = CartNotice.Unavailable;
            status = StatusCodes.Status503ServiceUnavailable;
            Response.Headers.RetryAfter = "30";
        }

        Response.StatusCode = status;
        return View(nameof(Index), new CartViewModel(shown, notice));
    }
}
