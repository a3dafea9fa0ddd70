using DualCache.Tests.EndToEnd;
using DualCache.WebApp.Controllers;
using Microsoft.Extensions.Logging;

namespace DualCache.Tests.WebApp;

public sealed class SignInLogTests
{
    [Fact]
    public async Task A_failed_sign_in_warns_without_the_attempted_email_which_is_logged_at_debug_only()
    {
        const string attempted = "my-password-typed-in-the-wrong-field@example.test";
        await using var app = await DualCacheApp.StartAsync(settings: new Dictionary<string, string?>
        {
            [$"Logging:LogLevel:{typeof(AccountController).FullName}"] = "Debug",
        });
        using var visitor = new HttpVisitor(app.BaseAddress);

        Assert.Equal(200, await visitor.TrySignInAsync(attempted, "wrong"));

        var records = app.Logs.GetSnapshot();
        var warning = Assert.Single(records, record => record.Level == LogLevel.Warning && record.Category == typeof(AccountController).FullName);
        Assert.Contains("sign-in failed", warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(records, record => record.Level >= LogLevel.Information && record.Message.Contains(attempted, StringComparison.Ordinal));
        Assert.Contains(records, record => record.Level == LogLevel.Debug && record.Message.Contains(attempted, StringComparison.Ordinal));
    }
}
