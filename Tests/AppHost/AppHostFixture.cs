using DualCache.Tests.EndToEnd;
using Microsoft.Playwright;

namespace DualCache.Tests.AppHost;

/// <summary>
/// One headless Chromium and one running AppHost, shared by the scenarios of a collection: starting the AppHost
/// (two memcached servers, the web app, the dashboard) takes half a minute, so the scenarios that leave it as they
/// found it share it.
/// </summary>
public abstract class AppHostFixture(string mode, bool dashboard) : IAsyncLifetime
{
    private readonly DirectoryInfo _data = Directory.CreateTempSubdirectory("dualcache-apphost-");
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private DualCacheAppHost? _appHost;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The fixture has not started.");

    public DualCacheAppHost AppHost => _appHost ?? throw new InvalidOperationException("The fixture has not started.");

    public async Task InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        _browser = await BrowserFixture.LaunchAsync(_playwright);
        _appHost = await DualCacheAppHost.StartAsync(mode, _data, dashboard: dashboard);
    }

    public async Task DisposeAsync()
    {
        if (_appHost is not null)
        {
            await _appHost.DisposeAsync();
        }

        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _data.Delete(recursive: true);
    }

    /// <summary>Runs a browser scenario against this AppHost's web app.</summary>
    public Task RunAsync(Func<Visitor, Task> steps, [System.Runtime.CompilerServices.CallerMemberName] string name = "") =>
        Scenario.RunAsync(Browser, AppHost.WebApp, () => AppHost.WebAppLog, steps, name);
}

/// <summary>The AppHost as <c>dotnet run --project AppHost</c> starts it on a machine with a container engine.</summary>
public sealed class ContainerAppHostFixture() : AppHostFixture("Container", dashboard: true);

/// <summary>The AppHost on a machine without one: memcached processes from PATH.</summary>
public sealed class ExecutableAppHostFixture() : AppHostFixture("Executable", dashboard: false);

/// <summary>
/// The AppHost scenarios run one collection at a time and alone: each AppHost is a dozen processes and a browser,
/// and two at once on a two-core machine would test the machine rather than the app.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ContainerAppHostScenarios : ICollectionFixture<ContainerAppHostFixture>
{
    public const string Name = "AppHost scenarios (containers)";
}

/// <inheritdoc cref="ContainerAppHostScenarios"/>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ExecutableAppHostScenarios : ICollectionFixture<ExecutableAppHostFixture>
{
    public const string Name = "AppHost scenarios (processes)";
}

/// <summary>The persistence scenario starts AppHosts of its own, so it shares none, and runs alone like the others.</summary>
[CollectionDefinition(PersistentSessionsScenarios.Name, DisableParallelization = true)]
public sealed class RestartScenarios;
