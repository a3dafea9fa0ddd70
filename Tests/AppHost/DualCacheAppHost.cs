extern alias AppHost;

using System.Collections.Concurrent;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using DualCache.Tests.EndToEnd;
using Microsoft.Extensions.DependencyInjection;

namespace DualCache.Tests.AppHost;

/// <summary>
/// The real AppHost (<c>AppHost/Program.cs</c>), started through Aspire.Hosting.Testing: two memcached resources and
/// the web app, wired and health-checked exactly as <c>dotnet run --project AppHost</c> does. Only what a test must
/// control differs: the run mode, a sessions container that never touches the developer's persistent one, the demo
/// password, and a data folder of the test's own.
/// </summary>
public sealed class DualCacheAppHost : IAsyncDisposable
{
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromMinutes(4);
    private static readonly string[] s_resources = ["cache", "sessions", "webapp"];

    private readonly DistributedApplication _app;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentQueue<string> _webAppLog = new();

    private DualCacheAppHost(DistributedApplication app, Uri webApp)
    {
        _app = app;
        WebApp = webApp;
        _ = CollectWebAppLogAsync();
    }

    /// <summary>The web app's address, as the dashboard links it.</summary>
    public Uri WebApp { get; }

    /// <summary>What the web app has written to its console, for a failed scenario's artifacts.</summary>
    public IReadOnlyList<string> WebAppLog => [.. _webAppLog];

    public DistributedApplication Application => _app;

    /// <param name="mode"><c>Container</c> or <c>Executable</c>, as <c>DualCache:MemcachedMode</c>.</param>
    /// <param name="dataFolder">The web app's database and Data Protection keys; keep it to restart the same app.</param>
    /// <param name="persistentSessionsContainer">A persistent sessions container of the test's own name, or none (session lifetime).</param>
    /// <param name="dashboard">Runs the Aspire dashboard too, and sends it the web app's telemetry.</param>
    public static async Task<DualCacheAppHost> StartAsync(
        string mode,
        DirectoryInfo dataFolder,
        string? persistentSessionsContainer = null,
        bool dashboard = false)
    {
        if (mode == "Container")
        {
            ContainerEngine.EnsureRunning();
        }

        string[] args =
        [
            $"--DualCache:MemcachedMode={mode}",
            persistentSessionsContainer is null ? "--DualCache:SessionsLifetime=Session" : "--DualCache:SessionsLifetime=Persistent",
            $"--DualCache:SessionsContainerName={persistentSessionsContainer}",
        ];
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<AppHost::Projects.DualCache_AppHost>(
            new DistributedApplicationTestingBuilderOptions { EnableDashboard = dashboard }, args);

        var webApp = builder.CreateResourceBuilder((ProjectResource)builder.Resources.Single(r => r.Name == "webapp"))
            .WithEnvironment("DemoAccounts__Password", DualCacheApp.DemoPassword)
            .WithEnvironment("ConnectionStrings__shopdb", $"Data Source={Path.Combine(dataFolder.FullName, "shop.db")}")
            .WithEnvironment("DataProtection__KeysPath", Path.Combine(dataFolder.FullName, "keys"))
            // A server that comes back is found within two seconds rather than the default thirty: same code, shorter wait.
            .WithEnvironment("Memcached__cache__DeadServerRetryMax", "00:00:02")
            .WithEnvironment("Memcached__sessions__DeadServerRetryMax", "00:00:02");
        if (!dashboard)
        {
            // Nothing listens for telemetry without the dashboard: an exporter with an address would hold every stop.
            webApp.WithEnvironment("OTEL_EXPORTER_OTLP_ENDPOINT", "");
        }

        var app = await builder.BuildAsync();
        using var timeout = new CancellationTokenSource(s_startTimeout);
        try
        {
            await app.StartAsync(timeout.Token);
            await app.ResourceNotifications.WaitForResourceHealthyAsync("webapp", timeout.Token);
        }
        catch (Exception exception)
        {
            var states = string.Join(", ", s_resources.Select(name => $"{name}: {Describe(app, name)}"));
            await app.DisposeAsync();
            throw new InvalidOperationException(
                $"The AppHost did not bring the web app up within {s_startTimeout} ({states}). In container mode the memcached " +
                "image must be present or pullable: on a machine without a registry, build it with AppHost/memcached-image/build.sh " +
                "and set DualCache__MemcachedImage (as .ci/run does).", exception);
        }

        return new DualCacheAppHost(app, app.GetEndpoint("webapp", "http"));
    }

    /// <summary>Runs a resource's command, as its button in the dashboard does.</summary>
    public Task<ExecuteCommandResult> ExecuteCommandAsync(string resource, string command) =>
        _app.ResourceCommands.ExecuteCommandAsync(resource, command, CancellationToken.None);

    public async Task WaitForHealthAsync(string resource, Func<CustomResourceSnapshot, bool> condition, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _app.ResourceNotifications.WaitForResourceAsync(resource, e => condition(e.Snapshot), cancel.Token);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            Assert.Fail($"'{resource}' did not reach the expected state within {timeout}: {Describe(_app, resource)}.");
        }
    }

    public string Describe(string resource) => Describe(_app, resource);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    private static string Describe(DistributedApplication app, string resource) =>
        app.ResourceNotifications.TryGetCurrentState(resource, out var current)
            ? $"{current.Snapshot.State?.Text ?? "no state"}, {current.Snapshot.HealthStatus?.ToString() ?? "no health"}"
            : "unknown";

    private async Task CollectWebAppLogAsync()
    {
        try
        {
            var logs = _app.Services.GetRequiredService<ResourceLoggerService>();
            await foreach (var batch in logs.WatchAsync("webapp").WithCancellation(_stopping.Token))
            {
                foreach (var line in batch)
                {
                    _webAppLog.Enqueue(line.Content);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
