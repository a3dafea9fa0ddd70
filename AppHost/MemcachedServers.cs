using DualCache.AppHost.Memcached;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DualCache.AppHost;

/// <summary>Adds one memcached server for a role, run the way <see cref="DualCacheSettings"/> resolved.</summary>
internal static partial class MemcachedServers
{
    /// <param name="builder">The AppHost's builder.</param>
    /// <param name="role">The role, which names the resource and the connection string.</param>
    /// <param name="settings">The AppHost's settings.</param>
    /// <param name="lifetime">A container's lifetime (an executable always lives as long as the AppHost).</param>
    /// <param name="containerName">A persistent container's name, or Aspire's own.</param>
    public static IResourceBuilder<IMemcachedResource> AddMemcachedServer(
        this IDistributedApplicationBuilder builder,
        string role,
        DualCacheSettings settings,
        ContainerLifetime lifetime = ContainerLifetime.Session,
        string? containerName = null)
    {
        IResourceBuilder<IMemcachedResource> server;
        string how;
        if (settings.Mode == MemcachedMode.Executable)
        {
            var path = FindOnPath("memcached") ?? throw new DistributedApplicationException(
                $"memcached is not on PATH, and {settings.ModeReason}. Install memcached ('sudo apt-get install memcached', " +
                "'brew install memcached') or start Docker or Podman; DualCache:MemcachedMode forces either.");
            server = builder.AddMemcachedExecutable(role);
            how = $"as a local process ({path}) because {settings.ModeReason}";
        }
        else
        {
            var container = builder.AddMemcached(role, image: settings.Image).WithLifetime(lifetime);
            if (containerName is not null)
            {
                container.WithContainerName(containerName);
            }

            server = container;
            how = $"in a container ({settings.Image}, {lifetime} lifetime) because {settings.ModeReason}";
        }

        // Said twice: once in the AppHost's log and once in the resource's own console log in the dashboard.
        builder.Eventing.Subscribe<BeforeStartEvent>((@event, _) =>
        {
            @event.Services.GetRequiredService<ILoggerFactory>().CreateLogger("DualCache.AppHost").RunsAs(role, how);
            return Task.CompletedTask;
        });
        server.OnBeforeResourceStarted((resource, @event, _) =>
        {
            @event.Services.GetRequiredService<ResourceLoggerService>().GetLogger(resource).RunsAs(role, how);
            return Task.CompletedTask;
        });

        return server;
    }

    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, program))
            .FirstOrDefault(File.Exists);

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "memcached '{Role}' runs {How}.")]
    private static partial void RunsAs(this ILogger logger, string role, string how);
}
