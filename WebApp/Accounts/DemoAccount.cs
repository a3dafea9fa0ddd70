using System.Security.Cryptography;

namespace DualCache.WebApp.Accounts;

/// <summary>
/// An account for trying the app, created in Development only and listed on its sign-in page.
/// The password is <c>DemoAccounts:Password</c> when set, otherwise one generated on the first start and kept in
/// <c>App_Data/demo-password</c> (never committed), so that it stays the same across restarts.
/// </summary>
public sealed record DemoAccount(string Email, string DisplayName, string Role, string Password)
{
    private const string AdminEmail = "admin@dualcache.test";
    private const string CustomerEmail = "user@dualcache.test";

    /// <summary>Known in every environment: outside Development, accounts with these emails are removed.</summary>
    public static IReadOnlyList<string> Emails { get; } = [AdminEmail, CustomerEmail];

    public static IReadOnlyList<DemoAccount> Create(IConfiguration configuration, string contentRoot)
    {
        var password = configuration["DemoAccounts:Password"] is { Length: > 0 } configured
            ? configured
            : KeptPassword(Path.Combine(contentRoot, "App_Data", "demo-password"));
        return
        [
            new(AdminEmail, "Ada Admin", AccountRoles.Admin, password),
            new(CustomerEmail, "Uma User", AccountRoles.Customer, password),
        ];
    }

    private static string KeptPassword(string path)
    {
        if (File.Exists(path) && File.ReadAllText(path).Trim() is { Length: > 0 } kept)
        {
            return kept;
        }

        var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, password);
        return password;
    }
}
