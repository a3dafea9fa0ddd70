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

        return Outcome(await cart.AddAsync(User, product, cancellationToken), $"Added {product.Name} to your cart.");
    }

    [HttpPost("remove")]
    public async Task<IActionResult> Remove(int productId, CancellationToken cancellationToken) =>
        Outcome(await cart.RemoveAsync(User, productId, cancellationToken), "Removed from your cart.");

    private IActionResult Outcome(CartUpdate? update, string done)
    {
        switch (update)
        {
            case null:
                return Page(null);
            case { Outcome: CartUpdateOutcome.Updated }:
                TempData["Message"] = done;
                return RedirectToAction(nameof(Index));
            case { Outcome: CartUpdateOutcome.TooLarge }:
                return Page(update.Cart, CartNotice.Full, StatusCodes.Status409Conflict);
            default:
                return Page(update.Cart, CartNotice.Busy, StatusCodes.Status409Conflict);
        }
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
