using System.Runtime.CompilerServices;
using Microsoft.Playwright;

namespace DualCache.Tests.EndToEnd;

/// <summary>
/// Runs a scenario in a browser context of its own (fresh cookies), tracing it. When it fails, the trace, a screenshot
/// and the app's log are kept in TestResults/playwright/&lt;scenario&gt;/; open the trace with 'playwright show-trace'.
/// </summary>
public static class Scenario
{
    public static Task RunAsync(IBrowser browser, DualCacheApp app, Func<Visitor, Task> steps, [CallerMemberName] string name = "") =>
        RunAsync(browser, app.BaseAddress, () => app.LogLines, steps, name);

    /// <param name="browser">The browser.</param>
    /// <param name="baseAddress">The web app.</param>
    /// <param name="appLog">The web app's log so far, kept with the artifacts of a failure.</param>
    /// <param name="steps">The scenario.</param>
    /// <param name="name">The scenario's name, for its artifacts.</param>
    public static async Task RunAsync(IBrowser browser, Uri baseAddress, Func<IEnumerable<string>> appLog, Func<Visitor, Task> steps, [CallerMemberName] string name = "")
    {
        // The app's own test certificate outside Development (TestCertificate.Https), which no browser trusts.
        await using var context = await browser.NewContextAsync(new() { BaseURL = baseAddress.ToString(), IgnoreHTTPSErrors = true });
        context.SetDefaultTimeout((float)Visitor.StepTimeout.TotalMilliseconds);
        await context.Tracing.StartAsync(new() { Title = name, Screenshots = true, Snapshots = true });
        var page = await context.NewPageAsync();
        try
        {
            await steps(new Visitor(page));
        }
        catch (Exception)
        {
            var folder = ArtifactsFolder(name);
            await page.ScreenshotAsync(new() { Path = Path.Combine(folder, "screenshot.png"), FullPage = true });
            await context.Tracing.StopAsync(new() { Path = Path.Combine(folder, "trace.zip") });
            await File.WriteAllLinesAsync(Path.Combine(folder, "app.log"), appLog());
            throw;
        }

        await context.Tracing.StopAsync();
    }

    /// <summary>Polls until <paramref name="condition"/> holds, for things that recover by themselves.</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T>> observe, Func<T, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var observed = await observe();
            if (condition(observed))
            {
                return observed;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Still not as expected after {timeout}: {observed}");
            }

            await Task.Delay(250);
        }
    }

    /// <summary>The folder for a scenario's artifacts (traces, screenshots, logs), emptied first.</summary>
    public static string ArtifactsFolder(string scenario)
    {
        var folder = Path.Combine(ResultsFolder(), "playwright", scenario);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>TEST_RESULTS_DIRECTORY, else Tests/TestResults.</summary>
    public static string ResultsFolder() =>
        Environment.GetEnvironmentVariable("TEST_RESULTS_DIRECTORY") is { Length: > 0 } configured
            ? configured
            : Path.Combine(TestProjectFolder(), "TestResults");

    private static string TestProjectFolder()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "DualCache.Tests.csproj")))
            {
                return folder.FullName;
            }
        }

        return AppContext.BaseDirectory;
    }
}
