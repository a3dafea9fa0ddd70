using DualCache.WebApp.Accounts;
using DualCache.WebApp.Catalog;

namespace DualCache.WebApp.Models;

public sealed record CatalogIndexViewModel(IReadOnlyList<Product> Products, ReadInfo Read);

public sealed record ProductViewModel(Product Product, ReadInfo Read);

/// <param name="DemoAccounts">Listed in Development only, where they exist.</param>
public sealed record HomeViewModel(CatalogIndexViewModel Catalog, IReadOnlyList<DemoAccount> DemoAccounts);
