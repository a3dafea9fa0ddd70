namespace DualCache.WebApp.Accounts;

public static class AccountRoles
{
    /// <summary>May flush the caches.</summary>
    public const string Admin = "admin";

    public const string Customer = "customer";
}
