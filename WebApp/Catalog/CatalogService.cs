using DualCache.WebApp.Caching;
using DualCache.WebApp.Data;
using Microsoft.EntityFrameworkCore;

namespace DualCache.WebApp.Catalog;

/// <summary>Reads the catalog through the object cache: the database is asked only on a miss.</summary>
public sealed class CatalogService(IDbContextFactory<ShopDbContext> databases, ObjectCache cache)
{
    public const string ProductsKey = "catalog:products";

    // The catalog changes only with a deployment here; the expiry bounds how long a stale copy could live anyway.
    private static readonly TimeSpan s_expiry = TimeSpan.FromMinutes(30);

    public Task<CacheRead<IReadOnlyList<Product>>> GetProductsAsync(CancellationToken cancellationToken) =>
        cache.GetOrLoadAsync(ProductsKey, LoadProductsAsync, WebAppJsonContext.Default.IReadOnlyListProduct, s_expiry, cancellationToken);

    /// <summary>One product, <see langword="null"/> when there is none with that id; found in the cached catalog.</summary>
    public async Task<CacheRead<Product?>> GetProductAsync(int id, CancellationToken cancellationToken)
    {
        var products = await GetProductsAsync(cancellationToken);
        return products.Map(all => all.FirstOrDefault(p => p.Id == id));
    }

    private async Task<IReadOnlyList<Product>> LoadProductsAsync(CancellationToken cancellationToken)
    {
        // A context of its own: the load is shared by every request waiting for this key and must outlive the
        // request that happened to start it.
        await using var database = databases.CreateDbContext();
        return await database.Products.AsNoTracking().OrderBy(p => p.Category).ThenBy(p => p.Name).ToListAsync(cancellationToken);
    }
}
