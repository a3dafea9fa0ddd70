using DualCache.WebApp.Accounts;
using DualCache.WebApp.Catalog;
using DualCache.WebApp.Data;
using DualCache.WebApp.Models;
using Microsoft.AspNetCore.Mvc;

namespace DualCache.WebApp.Controllers;

public sealed class CatalogController(CatalogService catalog, QueryCounter queries, IEnumerable<DemoAccount> demoAccounts) : Controller
{
    /// <summary>The front door: what the app shows, a path to try it, and the catalog.</summary>
    [HttpGet("/")]
    public async Task<IActionResult> Home(CancellationToken cancellationToken)
    {
        var read = await catalog.GetProductsAsync(cancellationToken);
        return View(new HomeViewModel(new CatalogIndexViewModel(read.Value, ReadInfo.Of(read, queries.Count)), [.. demoAccounts]));
    }

    [HttpGet("/catalog")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken)
    {
        var read = await catalog.GetProductsAsync(cancellationToken);
        return View(new CatalogIndexViewModel(read.Value, ReadInfo.Of(read, queries.Count)));
    }

    [HttpGet("/catalog/{id:int}")]
    public async Task<IActionResult> Details(int id, CancellationToken cancellationToken)
    {
        var read = await catalog.GetProductAsync(id, cancellationToken);
        return read.Value is { } product
            ? View(new ProductViewModel(product, ReadInfo.Of(read, queries.Count)))
            : NotFound();
    }
}
