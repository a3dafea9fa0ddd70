namespace DualCache.WebApp.Accounts;

/// <summary>How long a sign-in lasts and how often one may be tried: the <c>SignIn</c> section.</summary>
public sealed class SignInLimitOptions
{
    public const string SectionName = "SignIn";
    public const string RateLimitPolicy = "sign-in";

    /// <summary>A ticket nobody used for this long is gone: every request resets the clock in the session store.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(20);

    /// <summary>A ticket is refused this long after the sign-in, however busy it was.</summary>
    public TimeSpan AbsoluteLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>Sign-in attempts allowed from one client address per <see cref="AttemptWindow"/>.</summary>
    public int AttemptsPerWindow { get; set; } = 5;

    public TimeSpan AttemptWindow { get; set; } = TimeSpan.FromMinutes(1);
}
