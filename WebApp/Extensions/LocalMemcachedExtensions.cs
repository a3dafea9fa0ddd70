using DualCache.WebApp.Caching;
using DualCache.WebApp.Development;

namespace Microsoft.Extensions.Hosting;

public static class LocalMemcachedExtensions
{
    /// <summary>Development only: one local memcached for both roles, to compare with single-server mode.</summary>
    public const string SingleServerSetting = "LocalMemcached:SingleServer";

    public const string CachePortSetting = "LocalMemcached:CachePort";

    public const string SessionsPortSetting = "LocalMemcached:SessionsPort";

    /// <summary>The ports the local servers take unless set; nothing else of the repository's may use them.</summary>
    public const int DefaultCachePort = 21211;

    public const int DefaultSessionsPort = 21212;

    /// <summary>
    /// In Development, gives each role that has no servers configured a memcached on a fixed loopback port
    /// (<see cref="CachePortSetting"/>, <see cref="SessionsPortSetting"/>), reusing the one already there or starting
    /// one that outlives the app, so that 'dotnet run' works with memcached installed and neither Aspire nor
    /// containers, and a restart keeps the visitor signed in. With <see cref="SingleServerSetting"/> true, the cache
    /// port serves both (single-server mode). Anywhere else a missing connection string fails the start, naming the setting.
    /// </summary>
    public static async Task AddLocalMemcachedWhereMissingAsync(this IHostApplicationBuilder builder)
    {
        if (!builder.Environment.IsDevelopment())
        {
            return;
        }

        var configuration = builder.Configuration;
        var singleServer = configuration.GetValue<bool>(SingleServerSetting);
        var cache = (Port(configuration, CachePortSetting, DefaultCachePort), CachePortSetting);
        var ports = new Dictionary<string, (int Port, string Setting)>
        {
            [CacheRoles.Cache] = cache,
            [CacheRoles.Sessions] = singleServer ? cache : (Port(configuration, SessionsPortSetting, DefaultSessionsPort), SessionsPortSetting),
        };
        if (!singleServer && ports[CacheRoles.Cache].Port == ports[CacheRoles.Sessions].Port)
        {
            throw new InvalidOperationException(
                $"{CachePortSetting} and {SessionsPortSetting} are both {ports[CacheRoles.Cache].Port}: the roles need two servers; for one, set {SingleServerSetting} to true.");
        }

        var servers = new List<LocalMemcachedServer>();
        foreach (var (role, (port, setting)) in ports)
        {
            if (!string.IsNullOrWhiteSpace(configuration.GetConnectionString(role)) ||
                !string.IsNullOrWhiteSpace(configuration[$"Memcached:{role}:Servers"]))
            {
                continue;
            }

            configuration[$"ConnectionStrings:{role}"] = $"127.0.0.1:{port}";
            if (servers.FindIndex(server => server.Port == port) is var shared and >= 0)
            {
                servers[shared] = servers[shared] with { Role = $"{servers[shared].Role} and {role}" };
                continue;
            }

            var pidFile = Path.Combine(builder.Environment.ContentRootPath, "App_Data", $"memcached-{port}.pid");
            var reused = await DetachedMemcached.EnsureAsync(port, setting, pidFile);
            servers.Add(new LocalMemcachedServer(role, port, pidFile, reused));
        }

        if (servers.Count > 0)
        {
            builder.Services.AddHostedService(services => new LocalMemcachedServers(
                servers, services.GetRequiredService<ILogger<LocalMemcachedServers>>()));
        }
    }

    private static int Port(IConfiguration configuration, string setting, int defaultPort) =>
        configuration.GetValue(setting, defaultPort) is var port and >= 1 and <= 65535
            ? port
            : throw new InvalidOperationException($"{setting} must be a port from 1 to 65535, not {configuration[setting]}.");
}
