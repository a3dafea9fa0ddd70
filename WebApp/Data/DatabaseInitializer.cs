using DualCache.WebApp.Accounts;
using DualCache.WebApp.Catalog;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace DualCache.WebApp.Data;

/// <summary>
/// Creates the database and the catalog on first run. The demo accounts (registered in Development only) are written
/// at every start, so that the passwords shown on the sign-in page are the ones that work.
/// </summary>
public sealed partial class DatabaseInitializer(
    IDbContextFactory<ShopDbContext> databases,
    IEnumerable<DemoAccount> demoAccounts,
    IPasswordHasher<Account> passwordHasher,
    ILogger<DatabaseInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var database = databases.CreateDbContext();
        if (await database.Database.EnsureCreatedAsync(cancellationToken))
        {
            database.Products.AddRange(CatalogSeed.Products);
            LogCreated(logger, CatalogSeed.Products.Count);
        }

        foreach (var demo in demoAccounts)
        {
            var normalizedEmail = Account.Normalize(demo.Email);
            var account = await database.Accounts.SingleOrDefaultAsync(a => a.NormalizedEmail == normalizedEmail, cancellationToken);
            if (account is null)
            {
                account = new Account { Email = demo.Email, NormalizedEmail = normalizedEmail, DisplayName = demo.DisplayName };
                database.Accounts.Add(account);
            }

            account.Role = demo.Role;
            account.PasswordHash = passwordHasher.HashPassword(account, demo.Password);
        }

        await database.SaveChangesAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Created the shop database with {ProductCount} products")]
    private static partial void LogCreated(ILogger logger, int productCount);
}
