using DualCache.Memcached;
using DualCache.WebApp.Caching;
using DualCache.WebApp.Development;

namespace Microsoft.Extensions.Hosting;

public static class LocalMemcachedExtensions
{
    /// <summary>Development only: one local memcached for both roles, to compare with single-server mode.</summary>
    public const string SingleServerSetting = "LocalMemcached:SingleServer";

    /// <summary>
    /// In Development, starts a memcached process on a free loopback port for each role that has no servers
    /// configured, so that 'dotnet run' works with memcached installed and neither Aspire nor containers; with
    /// <see cref="SingleServerSetting"/> true, one process serves both (single-server mode).
    /// Anywhere else a missing connection string fails the start, naming the setting.
    /// </summary>
    public static async Task AddLocalMemcachedWhereMissingAsync(this IHostApplicationBuilder builder)
    {
        if (!builder.Environment.IsDevelopment())
        {
            return;
        }

        var singleServer = builder.Configuration.GetValue<bool>(SingleServerSetting);
        var started = new List<LocalMemcachedServer>();
        LocalMemcached? shared = null;
        foreach (var role in (string[])[CacheRoles.Cache, CacheRoles.Sessions])
        {
            if (!string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(role)) ||
                !string.IsNullOrWhiteSpace(builder.Configuration[$"Memcached:{role}:Servers"]))
            {
                continue;
            }

            if (singleServer && shared is not null)
            {
                builder.Configuration[$"ConnectionStrings:{role}"] = shared.ConnectionString;
                started[0] = started[0] with { Role = $"{started[0].Role} and {role}" };
                continue;
            }

            var server = await LocalMemcached.StartAsync(new LocalMemcachedOptions());
            builder.Configuration[$"ConnectionStrings:{role}"] = server.ConnectionString;
            started.Add(new LocalMemcachedServer(role, server));
            shared = server;
        }

        if (started.Count > 0)
        {
            builder.Services.AddHostedService(services => new LocalMemcachedServers(
                started, services.GetRequiredService<ILogger<LocalMemcachedServers>>()));
        }
    }
}
