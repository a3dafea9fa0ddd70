using DualCache.Memcached;

namespace DualCache.WebApp.Development;

/// <summary>Says where the memcached processes started for Development are, and stops them with the app.</summary>
public sealed partial class LocalMemcachedServers(IReadOnlyList<LocalMemcachedServer> servers, ILogger<LocalMemcachedServers> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var (role, server) in servers)
        {
            LogStarted(logger, role, server.ConnectionString);
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var (_, server) in servers)
        {
            await server.DisposeAsync();
        }
    }

    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "No servers are configured for the {Role} role, so a local memcached was started for it on {ConnectionString}; it stops with the app")]
    private static partial void LogStarted(ILogger logger, string role, string connectionString);
}
