using Microsoft.Playwright;

namespace DualCache.Tests.EndToEnd;

/// <summary>
/// One headless Chromium for the whole end-to-end collection, plus the app most scenarios share.
/// The browser is BROWSER_PATH when set, else Playwright's own Chromium when installed, else Debian's /usr/bin/chromium.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private const string SystemChromium = "/usr/bin/chromium";

    // The test machines have no network: Chromium must not try to reach Google's services in the background.
    private static readonly string[] s_offlineArguments =
        ["--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"];

    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private DualCacheApp? _app;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The fixture has not started.");

    /// <summary>An app with one memcached per role, shared by the scenarios that do not break or reconfigure it.</summary>
    public DualCacheApp App => _app ?? throw new InvalidOperationException("The fixture has not started.");

    public async Task InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        _browser = await LaunchAsync(_playwright);
        _app = await DualCacheApp.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }

    /// <summary>Launches headless Chromium: BROWSER_PATH, else Playwright's own, else Debian's.</summary>
    public static async Task<IBrowser> LaunchAsync(IPlaywright playwright)
    {
        var options = new BrowserTypeLaunchOptions { Headless = true, Args = s_offlineArguments };
        if (Environment.GetEnvironmentVariable("BROWSER_PATH") is { Length: > 0 } path)
        {
            options.ExecutablePath = path;
            return await playwright.Chromium.LaunchAsync(options);
        }

        try
        {
            return await playwright.Chromium.LaunchAsync(options);
        }
        catch (PlaywrightException) when (File.Exists(SystemChromium))
        {
            // Playwright's browsers are not installed ('playwright install' needs a network); Debian's Chromium is.
            options.ExecutablePath = SystemChromium;
            return await playwright.Chromium.LaunchAsync(options);
        }
    }
}

/// <summary>The browser scenarios share one browser and one app, and run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class BrowserScenarios : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser scenarios";
}
