namespace DualCache.WebApp.Accounts;

/// <summary>Somebody who can sign in. The password is kept only as a <see cref="Microsoft.AspNetCore.Identity.PasswordHasher{TUser}"/> hash.</summary>
public sealed class Account
{
    public int Id { get; set; }

    public required string Email { get; set; }

    public required string NormalizedEmail { get; set; }

    public required string DisplayName { get; set; }

    public string PasswordHash { get; set; } = "";

    /// <summary><see cref="AccountRoles.Admin"/> or <see cref="AccountRoles.Customer"/>.</summary>
    public string Role { get; set; } = AccountRoles.Customer;

    public static string Normalize(string email) => email.Trim().ToUpperInvariant();
}
