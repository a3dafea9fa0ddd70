using DualCache.WebApp.Accounts;
using DualCache.WebApp.Catalog;
using Microsoft.EntityFrameworkCore;

namespace DualCache.WebApp.Data;

/// <summary>The shop's own database: the product catalog and the accounts. SQLite, created on first run.</summary>
public sealed class ShopDbContext(DbContextOptions<ShopDbContext> options) : DbContext(options)
{
    public DbSet<Product> Products => Set<Product>();

    public DbSet<Account> Accounts => Set<Account>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Product>(product =>
        {
            product.Property(p => p.Name).HasMaxLength(100);
            product.Property(p => p.Category).HasMaxLength(50);
        });

        modelBuilder.Entity<Account>(account =>
        {
            account.HasIndex(a => a.NormalizedEmail).IsUnique();
            account.Property(a => a.Email).HasMaxLength(256);
            account.Property(a => a.NormalizedEmail).HasMaxLength(256);
        });
    }
}
