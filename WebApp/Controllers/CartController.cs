using DualCache.WebApp.Cart;
using DualCache.WebApp.Catalog;
using DualCache.WebApp.Models;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace DualCache.WebApp.Controllers;

[Authorize]
[Route("cart")]
public sealed class CartController(CatalogService catalog) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken)
    {
        var cart = await HttpContext.Session.LoadCartAsync(cancellationToken);
        return View(new CartViewModel(cart, HttpContext.Session.IsAvailable));
    }

    [HttpPost("add")]
    public async Task<IActionResult> Add(int productId, CancellationToken cancellationToken)
    {
        var product = (await catalog.GetProductAsync(productId, cancellationToken)).Value;
        if (product is null)
        {
            return NotFound();
        }

        var cart = await HttpContext.Session.LoadCartAsync(cancellationToken);
        if (!HttpContext.Session.IsAvailable)
        {
            Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return View(nameof(Index), new CartViewModel(cart, SessionAvailable: false));
        }

        HttpContext.Session.SaveCart(cart.Add(product));
        return RedirectToAction(nameof(Index));
    }

    [HttpPost("clear")]
    public async Task<IActionResult> Clear(CancellationToken cancellationToken)
    {
        await HttpContext.Session.LoadAsync(cancellationToken);
        HttpContext.Session.Clear();
        return RedirectToAction(nameof(Index));
    }
}
