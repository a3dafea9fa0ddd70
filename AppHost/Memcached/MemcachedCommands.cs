using DualCache.Memcached;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace DualCache.AppHost.Memcached;

/// <summary>
/// The dashboard's commands on a memcached resource. Both stay disabled until the resource's health check passes, so
/// they never act on a server that is still starting or has gone away. Tests and scripts run them by these names
/// (<c>app.ResourceCommands.ExecuteCommandAsync("cache", MemcachedCommands.FlushName)</c>).
/// </summary>
public static class MemcachedCommands
{
    /// <summary>The name of the command that runs <c>flush_all</c>; the dashboard shows it as "Flush".</summary>
    public const string FlushName = "memcached-flush";

    /// <summary>The name of the command that reports the server's <c>stats</c>; the dashboard shows it as "Show stats".</summary>
    public const string ShowStatsName = "memcached-show-stats";

    /// <summary>
    /// Adds "Flush": after the confirmation, <c>flush_all</c> on this resource's server only. A failure reports
    /// memcached's own error in the dashboard.
    /// </summary>
    /// <param name="builder">The memcached resource.</param>
    /// <param name="confirmationMessage">What the dashboard asks before flushing: say what a flush costs on this role.</param>
    public static IResourceBuilder<T> WithFlushCommand<T>(this IResourceBuilder<T> builder, string? confirmationMessage = null)
        where T : IMemcachedResource
    {
        ArgumentNullException.ThrowIfNull(builder);
        var resource = builder.Resource;

        return builder.WithCommand(FlushName, "Flush", context => FlushAsync(resource, context), new CommandOptions
        {
            Description = "Invalidate every item on this server (flush_all).",
            ConfirmationMessage = confirmationMessage ?? $"Flush every item from '{resource.Name}'?",
            IconName = "Delete",
            UpdateState = EnabledWhenHealthy,
        });
    }

    /// <summary>
    /// Adds "Show stats": the server's version, uptime, items, memory used of the limit, hit ratio, evictions and
    /// connections, returned as the command's result (the dashboard opens it) and written to the resource's log.
    /// </summary>
    /// <param name="builder">The memcached resource.</param>
    public static IResourceBuilder<T> WithShowStatsCommand<T>(this IResourceBuilder<T> builder)
        where T : IMemcachedResource
    {
        ArgumentNullException.ThrowIfNull(builder);
        var resource = builder.Resource;

        return builder.WithCommand(ShowStatsName, "Show stats", context => ShowStatsAsync(resource, context), new CommandOptions
        {
            Description = "Show this server's stats: items, memory, hit ratio, evictions, connections.",
            IconName = "DataBarVertical",
            UpdateState = EnabledWhenHealthy,
        });
    }

    private static ResourceCommandState EnabledWhenHealthy(UpdateCommandStateContext context) =>
        context.ResourceSnapshot.HealthStatus == HealthStatus.Healthy ? ResourceCommandState.Enabled : ResourceCommandState.Disabled;

    private static async Task<ExecuteCommandResult> FlushAsync(IMemcachedResource resource, ExecuteCommandContext context)
    {
        if (Client(resource, context) is not { } client)
        {
            return CommandResults.Failure($"The address of '{resource.Name}' is not known yet.");
        }

        try
        {
            await client.FlushAllAsync(context.CancellationToken);
        }
        catch (MemcachedException exception)
        {
            // The dashboard shows a failed command's message; a thrown exception would only say that it failed.
            return CommandResults.Failure($"flush_all on '{resource.Name}' failed: {exception.Message}");
        }

        ResourceLogger(resource, context).Flushed(resource.Name);
        return CommandResults.Success($"Flushed every item from '{resource.Name}'.");
    }

    private static async Task<ExecuteCommandResult> ShowStatsAsync(IMemcachedResource resource, ExecuteCommandContext context)
    {
        if (Client(resource, context) is not { } client)
        {
            return CommandResults.Failure($"The address of '{resource.Name}' is not known yet.");
        }

        var stats = await client.GetStatsAsync(context.CancellationToken);
        var report = MemcachedStatsReport.Format(resource.Name, stats);
        ResourceLogger(resource, context).Stats(report);

        var markdown = $"```text\n{report.TrimEnd()}\n```";
        return stats.FirstOrDefault(s => s.Error is not null) is { Error: { } error } failed
            ? CommandResults.Failure($"memcached on {failed.EndPoint} did not answer 'stats': {error.Message}", markdown, CommandResultFormat.Markdown)
            : CommandResults.Success($"Stats of '{resource.Name}'.", markdown, CommandResultFormat.Markdown, displayImmediately: true);
    }

    private static MemcachedClient? Client(IMemcachedResource resource, ExecuteCommandContext context) =>
        context.Services.GetRequiredService<MemcachedResourceClients>().For(resource);

    /// <summary>The resource's own console log in the dashboard.</summary>
    private static ILogger ResourceLogger(IMemcachedResource resource, ExecuteCommandContext context) =>
        context.Services.GetRequiredService<ResourceLoggerService>().GetLogger(resource);
}
