using System.ComponentModel.DataAnnotations;
using DualCache.WebApp.Accounts;

namespace DualCache.WebApp.Models;

/// <summary>The sign-in form as posted.</summary>
public sealed record SignInForm
{
    [Required]
    [EmailAddress]
    public string Email { get; init; } = "";

    [Required]
    [DataType(DataType.Password)]
    public string Password { get; init; } = "";
}

/// <param name="DemoAccounts">Listed in Development only, where they exist.</param>
/// <param name="SessionStoreDown">No session server answers: signing in cannot work right now.</param>
public sealed record SignInViewModel(SignInForm Form, string? ReturnUrl, IReadOnlyList<DemoAccount> DemoAccounts, bool SessionStoreDown = false);
