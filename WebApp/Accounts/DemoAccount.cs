using System.Security.Cryptography;

namespace DualCache.WebApp.Accounts;

/// <summary>
/// An account for trying the app, created in Development only and listed on its sign-in page.
/// The password is <c>DemoAccounts:Password</c> when set, otherwise a new one at every start.
/// </summary>
public sealed record DemoAccount(string Email, string DisplayName, string Role, string Password)
{
    private const string AdminEmail = "admin@dualcache.test";
    private const string CustomerEmail = "user@dualcache.test";

    /// <summary>Known in every environment: outside Development, accounts with these emails are removed.</summary>
    public static IReadOnlyList<string> Emails { get; } = [AdminEmail, CustomerEmail];

    public static IReadOnlyList<DemoAccount> Create(IConfiguration configuration)
    {
        var password = configuration["DemoAccounts:Password"] is { Length: > 0 } configured
            ? configured
            : Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        return
        [
            new(AdminEmail, "Ada Admin", AccountRoles.Admin, password),
            new(CustomerEmail, "Uma User", AccountRoles.Customer, password),
        ];
    }
}
