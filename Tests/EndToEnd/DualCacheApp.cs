using System.Net;
using DualCache.Memcached;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace DualCache.Tests.EndToEnd;

/// <summary>
/// The web app as a visitor meets it: Kestrel on a free loopback port, in Development unless told otherwise (so with
/// the demo accounts), over real memcached processes, one per role, or one for both in single-server mode.
/// </summary>
public sealed class DualCacheApp : IAsyncDisposable
{
    public const string DemoPassword = "e2e-demo-password";

    private readonly Factory _factory;
    private readonly DirectoryInfo _folder;

    private DualCacheApp(Factory factory, DirectoryInfo folder, LocalMemcached cacheServer, IReadOnlyList<LocalMemcached> sessionsServers, FakeLogCollector logs)
    {
        _factory = factory;
        _folder = folder;
        CacheServer = cacheServer;
        SessionsServers = sessionsServers;
        Logs = logs;
        var addresses = factory.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>();
        BaseAddress = new Uri(addresses.Addresses.Single());
    }

    public Uri BaseAddress { get; }

    public LocalMemcached CacheServer { get; }

    /// <summary>The same process as <see cref="CacheServer"/> in single-server mode; the first one when there are several.</summary>
    public LocalMemcached SessionsServer => SessionsServers[0];

    public IReadOnlyList<LocalMemcached> SessionsServers { get; }

    /// <summary>The app's log, kept in memory and written beside the trace of a failed scenario.</summary>
    public FakeLogCollector Logs { get; }

    /// <summary>The log as lines, one a record, for a failed scenario's artifacts.</summary>
    public IEnumerable<string> LogLines => Logs.GetSnapshot().Select(record =>
        $"{record.Timestamp:HH:mm:ss.fff} {record.Level} {record.Category}[{record.Id.Id}] {record.Message}{(record.Exception is null ? "" : Environment.NewLine + record.Exception)}");

    public IServiceProvider Services => _factory.Services;

    /// <summary>The app's own client for the object cache, to look at what is on the server.</summary>
    public IMemcachedClient CacheClient => Services.GetRequiredKeyedService<IMemcachedClient>("cache");

    /// <summary>What <c>/health</c> answers a probe, which carries no cookies.</summary>
    public async Task<(int Status, string Body)> HealthAsync()
    {
        using var client = new HttpClient { BaseAddress = BaseAddress };
        using var response = await client.GetAsync(new Uri("/health", UriKind.Relative));
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <param name="settings">Further configuration, added to (or overriding) the test defaults.</param>
    /// <param name="sessionsServers">How many memcached processes the <c>sessions</c> role gets (not in single-server mode).</param>
    /// <param name="services">Runs after the app's own registrations, to add to or replace them.</param>
    public static async Task<DualCacheApp> StartAsync(
        bool singleServer = false,
        int signInAttemptsPerWindow = 1000,
        string environment = "Development",
        IReadOnlyDictionary<string, string?>? settings = null,
        int sessionsServers = 1,
        Action<IServiceCollection>? services = null)
    {
        var cacheServer = await LocalMemcached.StartAsync();
        IReadOnlyList<LocalMemcached> sessions = singleServer
            ? [cacheServer]
            : await Task.WhenAll(Enumerable.Range(0, sessionsServers).Select(_ => LocalMemcached.StartAsync()));
        var folder = Directory.CreateTempSubdirectory("dualcache-e2e-");
        var logs = new FakeLogCollector();
        var configuration = new Dictionary<string, string?>
        {
            ["ConnectionStrings:cache"] = cacheServer.ConnectionString,
            ["ConnectionStrings:sessions"] = string.Join(',', sessions.Select(server => server.ConnectionString)),
            ["ConnectionStrings:shopdb"] = $"Data Source={Path.Combine(folder.FullName, "shop.db")}",
            ["DataProtection:KeysPath"] = Path.Combine(folder.FullName, "keys"),
            ["DemoAccounts:Password"] = DemoPassword,
            ["SignIn:AttemptsPerWindow"] = signInAttemptsPerWindow.ToString(System.Globalization.CultureInfo.InvariantCulture),

            // A server that comes back is found within two seconds rather than the default thirty: same code, shorter wait.
            ["Memcached:cache:DeadServerRetryMax"] = "00:00:02",
            ["Memcached:sessions:DeadServerRetryMax"] = "00:00:02",
        };

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        var factory = new Factory(environment, configuration, logs, services ?? (_ => { }));
        factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        return new DualCacheApp(factory, folder, cacheServer, sessions, logs);
    }

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        await CacheServer.DisposeAsync();
        foreach (var server in SessionsServers.Where(server => server != CacheServer))
        {
            await server.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        _folder.Delete(recursive: true);
    }

    private sealed class Factory(
        string environment, IReadOnlyDictionary<string, string?> settings, FakeLogCollector logs, Action<IServiceCollection> services) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment(environment);
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            builder.ConfigureLogging(logging => logging.ClearProviders().AddProvider(new FakeLoggerProvider(logs)));
            builder.ConfigureTestServices(services);
        }
    }
}
