using DualCache.WebApp.Catalog;

namespace DualCache.WebApp.Models;

public sealed record CatalogIndexViewModel(IReadOnlyList<Product> Products, ReadInfo Read);

public sealed record ProductViewModel(Product Product, ReadInfo Read);
