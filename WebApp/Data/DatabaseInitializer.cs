using DualCache.WebApp.Accounts;
using DualCache.WebApp.Catalog;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace DualCache.WebApp.Data;

/// <summary>
/// Creates the database and the catalog on first run. In Development the demo accounts are written at every start,
/// so that the passwords shown on the sign-in page are the ones that work; in any other environment they are removed,
/// since the database may be one a Development run wrote them to, with a password that page showed.
/// </summary>
public sealed partial class DatabaseInitializer(
    IDbContextFactory<ShopDbContext> databases,
    IEnumerable<DemoAccount> demoAccounts,
    IPasswordHasher<Account> passwordHasher,
    IHostEnvironment environment,
    ILogger<DatabaseInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        QueryCounter.StopCountingInThisFlow();
        await using var database = databases.CreateDbContext();
        if (await database.Database.EnsureCreatedAsync(cancellationToken))
        {
            database.Products.AddRange(CatalogSeed.Products);
            LogCreated(logger, CatalogSeed.Products.Count);
        }

        if (!environment.IsDevelopment())
        {
            await RemoveDemoAccountsAsync(database, cancellationToken);
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

    private async Task RemoveDemoAccountsAsync(ShopDbContext database, CancellationToken cancellationToken)
    {
        var normalizedEmails = DemoAccount.Emails.Select(Account.Normalize).ToList();
        var demo = await database.Accounts.Where(a => normalizedEmails.Contains(a.NormalizedEmail)).ToListAsync(cancellationToken);
        if (demo.Count > 0)
        {
            database.Accounts.RemoveRange(demo);
            LogDemoAccountsRemoved(logger, demo.Count, environment.EnvironmentName);
        }
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Created the shop database with {ProductCount} products")]
    private static partial void LogCreated(ILogger logger, int productCount);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Removed {Count} demo account(s) from the database: they exist in Development only, and this is {Environment}")]
    private static partial void LogDemoAccountsRemoved(ILogger logger, int count, string environment);
}
