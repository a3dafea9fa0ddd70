using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using DualCache.WebApp.Data;

namespace DualCache.WebApp.Accounts;

/// <summary>Checks an email and password against the accounts in the database.</summary>
public sealed class AccountAuthenticator(IDbContextFactory<ShopDbContext> databases, IPasswordHasher<Account> passwordHasher)
{
    // Verified when the email is unknown, so that a wrong email takes as long as a wrong password and the
    // response time does not tell which emails have accounts.
    private readonly Lazy<string> _decoyHash = new(() => passwordHasher.HashPassword(Decoy, Guid.NewGuid().ToString()));

    private static Account Decoy { get; } = new() { Email = "", NormalizedEmail = "", DisplayName = "" };

    /// <summary>The account, or <see langword="null"/> when the email or the password is wrong.</summary>
    public async Task<Account?> AuthenticateAsync(string email, string password, CancellationToken cancellationToken)
    {
        await using var database = databases.CreateDbContext();
        var normalizedEmail = Account.Normalize(email);
        var account = await database.Accounts.SingleOrDefaultAsync(a => a.NormalizedEmail == normalizedEmail, cancellationToken);
        if (account is null)
        {
            passwordHasher.VerifyHashedPassword(Decoy, _decoyHash.Value, password);
            return null;
        }

        switch (passwordHasher.VerifyHashedPassword(account, account.PasswordHash, password))
        {
            case PasswordVerificationResult.Success:
                return account;
            case PasswordVerificationResult.SuccessRehashNeeded:
                account.PasswordHash = passwordHasher.HashPassword(account, password);
                await database.SaveChangesAsync(cancellationToken);
                return account;
            default:
                return null;
        }
    }
}
