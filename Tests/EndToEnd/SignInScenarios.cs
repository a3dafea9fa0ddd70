using Microsoft.Data.Sqlite;
using static Microsoft.Playwright.Assertions;

namespace DualCache.Tests.EndToEnd;

[Collection(BrowserScenarios.Name)]
public sealed class SignInScenarios(BrowserFixture fixture)
{
    [Fact]
    public Task The_sign_in_page_lists_the_demo_accounts_in_development() => Scenario.RunAsync(fixture.Browser, fixture.App, async visitor =>
    {
        await visitor.GoToAsync("/account/signin");

        var demoAccounts = visitor.Page.GetByTestId("demo-accounts");
        await Expect(demoAccounts).ToContainTextAsync(Visitor.Admin);
        await Expect(demoAccounts).ToContainTextAsync(Visitor.Customer);
        await Expect(demoAccounts).ToContainTextAsync(DualCacheApp.DemoPassword);
    });

    [Fact]
    public async Task Outside_development_there_are_no_demo_accounts()
    {
        await using var app = await DualCacheApp.StartAsync(environment: "Production");
        await Scenario.RunAsync(fixture.Browser, app, async visitor =>
        {
            await visitor.GoToAsync("/account/signin");
            await Expect(visitor.Page.GetByTestId("demo-accounts")).ToHaveCountAsync(0);

            await visitor.SubmitSignInAsync(Visitor.Admin, DualCacheApp.DemoPassword);

            await Expect(visitor.Page.GetByTestId("sign-in-errors")).ToContainTextAsync("The email or the password is wrong.");
        });
    }

    [Fact]
    public async Task Demo_accounts_left_in_the_database_by_development_are_gone_in_production()
    {
        var folder = Directory.CreateTempSubdirectory("dualcache-e2e-shared-db-");
        try
        {
            var sharedDatabase = new Dictionary<string, string?>
            {
                ["ConnectionStrings:shopdb"] = $"Data Source={Path.Combine(folder.FullName, "shop.db")}",
            };
            await using (var development = await DualCacheApp.StartAsync(settings: sharedDatabase))
            {
                await Scenario.RunAsync(fixture.Browser, development, visitor => visitor.SignInAsync(Visitor.Admin));
            }

            await using var production = await DualCacheApp.StartAsync(environment: "Production", settings: sharedDatabase);
            await Scenario.RunAsync(fixture.Browser, production, async visitor =>
            {
                await visitor.GoToAsync("/account/signin");

                await visitor.SubmitSignInAsync(Visitor.Admin, DualCacheApp.DemoPassword);

                await Expect(visitor.Page.GetByTestId("sign-in-errors")).ToContainTextAsync("The email or the password is wrong.");
                await visitor.ExpectSignedOutAsync();
            });
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public Task A_wrong_password_does_not_sign_in() => Scenario.RunAsync(fixture.Browser, fixture.App, async visitor =>
    {
        await visitor.GoToAsync("/account/signin");

        await visitor.SubmitSignInAsync(Visitor.Admin, "not-the-password");

        await Expect(visitor.Page.GetByTestId("sign-in-errors")).ToContainTextAsync("The email or the password is wrong.");
        await visitor.ExpectSignedOutAsync();
    });

    [Fact]
    public async Task Too_many_sign_in_attempts_are_refused_for_a_while()
    {
        await using var app = await DualCacheApp.StartAsync(signInAttemptsPerWindow: 3);
        await Scenario.RunAsync(fixture.Browser, app, async visitor =>
        {
            await visitor.GoToAsync("/account/signin");
            for (var attempt = 1; attempt <= 3; attempt++)
            {
                Assert.Equal(200, (await visitor.SubmitSignInAsync(Visitor.Admin, "guess-" + attempt)).Status);
            }

            var refused = await visitor.SubmitSignInAsync(Visitor.Admin, DualCacheApp.DemoPassword);

            Assert.Equal(429, refused.Status);
            await Expect(visitor.Page.GetByTestId("status")).ToContainTextAsync("Too many attempts");
            await visitor.ExpectSignedOutAsync();
        });
    }
}
