namespace DualCache.WebApp.Development;

/// <summary>Says where the Development memcached processes are, and how to stop them: the app leaves them running.</summary>
public sealed partial class LocalMemcachedServers(IReadOnlyList<LocalMemcachedServer> servers, ILogger<LocalMemcachedServers> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var (role, port, pidFile, reused) in servers)
        {
            LogServer(logger, role, reused ? "reused the" : "started a", port, pidFile);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "No servers are configured for the {Role} role, so the app {How} local memcached on 127.0.0.1:{Port}; it keeps running after the app, so that a restart keeps you signed in. Stop it with: kill $(cat {PidFile})")]
    private static partial void LogServer(ILogger logger, string role, string how, int port, string pidFile);
}
