using DualCache.Memcached;
using DualCache.WebApp.Caching;
using DualCache.WebApp.Development;

namespace Microsoft.Extensions.Hosting;

public static class LocalMemcachedExtensions
{
    /// <summary>
    /// In Development, starts a memcached process on a free loopback port for each role that has no servers
    /// configured, so that 'dotnet run' works with memcached installed and neither Aspire nor containers.
    /// Anywhere else a missing connection string fails the start, naming the setting.
    /// </summary>
    public static async Task AddLocalMemcachedWhereMissingAsync(this IHostApplicationBuilder builder)
    {
        if (!builder.Environment.IsDevelopment())
        {
            return;
        }

        var started = new List<LocalMemcachedServer>();
        foreach (var role in (string[])[CacheRoles.Cache, CacheRoles.Sessions])
        {
            if (!string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(role)) ||
                !string.IsNullOrWhiteSpace(builder.Configuration[$"Memcached:{role}:Servers"]))
            {
                continue;
            }

            var server = await LocalMemcached.StartAsync(new LocalMemcachedOptions());
            builder.Configuration[$"ConnectionStrings:{role}"] = server.ConnectionString;
            started.Add(new LocalMemcachedServer(role, server));
        }

        if (started.Count > 0)
        {
            builder.Services.AddHostedService(services => new LocalMemcachedServers(
                started, services.GetRequiredService<ILogger<LocalMemcachedServers>>()));
        }
    }
}
