using DualCache.Memcached;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace DualCache.AppHost.Memcached;

/// <summary>
/// The dashboard's "Flush" and "Show stats" buttons on a memcached resource. Both stay disabled until the resource's
/// health check passes, so they never act on a server that is still starting or has gone away.
/// </summary>
internal static class MemcachedDashboardCommands
{
    private const string FlushCommandName = "memcached-flush";
    private const string ShowStatsCommandName = "memcached-show-stats";

    public static IResourceBuilder<T> WithDashboardCommands<T>(this IResourceBuilder<T> builder)
        where T : IMemcachedResource
    {
        var resource = builder.Resource;

        return builder
            .WithCommand(FlushCommandName, "Flush", context => FlushAsync(resource, context), commandOptions: new CommandOptions
            {
                Description = "Invalidate every item on this server (flush_all).",
                ConfirmationMessage =
                    $"Flush every item from '{resource.Name}'? On the object cache, pages read the database until it refills; " +
                    "on the session store, every user is signed out.",
                IconName = "Delete",
                UpdateState = EnabledWhenHealthy,
            })
            .WithCommand(ShowStatsCommandName, "Show stats", context => ShowStatsAsync(resource, context), commandOptions: new CommandOptions
            {
                Description = "Write this server's stats (items, memory, hit ratio, evictions) to its console log.",
                IconName = "DataBarVertical",
                UpdateState = EnabledWhenHealthy,
            });
    }

    private static ResourceCommandState EnabledWhenHealthy(UpdateCommandStateContext context) =>
        context.ResourceSnapshot.HealthStatus == HealthStatus.Healthy ? ResourceCommandState.Enabled : ResourceCommandState.Disabled;

    private static async Task<ExecuteCommandResult> FlushAsync(IMemcachedResource resource, ExecuteCommandContext context)
    {
        await using var client = await MemcachedResourceClient.CreateAsync(resource, context.CancellationToken);
        try
        {
            await client.FlushAllAsync(context.CancellationToken);
        }
        catch (MemcachedException exception)
        {
            // The dashboard shows a failed command's message; a thrown exception would only say that it failed.
            return CommandResults.Failure(exception.Message);
        }

        ResourceLogger(resource, context).Flushed(resource.Name);
        return CommandResults.Success();
    }

    private static async Task<ExecuteCommandResult> ShowStatsAsync(IMemcachedResource resource, ExecuteCommandContext context)
    {
        await using var client = await MemcachedResourceClient.CreateAsync(resource, context.CancellationToken);
        var stats = await client.GetStatsAsync(context.CancellationToken);

        var report = MemcachedStatsReport.Format(resource.Name, stats);
        ResourceLogger(resource, context).Stats(report);
        return stats.FirstOrDefault(s => s.Error is not null) is { Error: { } error } failed
            ? CommandResults.Failure($"memcached on {failed.EndPoint} did not answer 'stats': {error.Message}")
            : CommandResults.Success();
    }

    /// <summary>The resource's own console log in the dashboard.</summary>
    private static ILogger ResourceLogger(IMemcachedResource resource, ExecuteCommandContext context) =>
        context.ServiceProvider.GetRequiredService<ResourceLoggerService>().GetLogger(resource);
}
