using System.Net;
using DualCache.Memcached;
using DualCache.WebApp.Accounts;
using DualCache.WebApp.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace DualCache.Tests.EndToEnd;

/// <summary>
/// The web app as a visitor meets it: Kestrel on a free loopback port, in Development unless told otherwise (so with
/// the demo accounts), over real memcached processes, one per role, or one for both in single-server mode. Outside
/// Development it serves HTTPS with <see cref="TestCertificate.Https"/>, as a deployment would, because its cookies
/// are then Secure and a client sends them back over HTTPS only.
/// </summary>
public sealed class DualCacheApp : IAsyncDisposable
{
    public const string DemoPassword = "e2e-demo-password";

    private readonly Factory _factory;
    private readonly DirectoryInfo _folder;
    private readonly IReadOnlyList<LocalMemcached> _servers;
    private bool _handedOver;

    private DualCacheApp(Factory factory, DirectoryInfo folder, LocalMemcached cacheServer, IReadOnlyList<LocalMemcached> sessionsServers, FakeLogCollector logs, IReadOnlyList<LocalMemcached>? keptServers = null)
    {
        _factory = factory;
        _folder = folder;
        _servers = [.. new[] { cacheServer }.Concat(sessionsServers).Concat(keptServers ?? []).Distinct()];
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
        using var client = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, certificate, _, errors) => TestCertificate.IsTrusted(certificate, errors) })
        {
            BaseAddress = BaseAddress,
        };
        using var response = await client.GetAsync(new Uri("/health", UriKind.Relative));
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Outside Development there are no demo accounts: an account as an operator would create one.</summary>
    public async Task<(string Email, string Password)> AddAccountAsync(string email = "pat@dualcache.test", string password = "a-production-password")
    {
        var account = new Account { Email = email, NormalizedEmail = Account.Normalize(email), DisplayName = "Pat Production" };
        account.PasswordHash = Services.GetRequiredService<IPasswordHasher<Account>>().HashPassword(account, password);
        await using var database = await Services.GetRequiredService<IDbContextFactory<ShopDbContext>>().CreateDbContextAsync();
        database.Accounts.Add(account);
        await database.SaveChangesAsync();
        return (email, password);
    }

    /// <param name="settings">Further configuration, added to (or overriding) the test defaults.</param>
    /// <param name="sessionsServers">How many memcached processes the <c>sessions</c> role gets (not in single-server mode).</param>
    /// <param name="services">Runs after the app's own registrations, to add to or replace them.</param>
    /// <param name="https">HTTPS rather than HTTP; by default outside Development only.</param>
    public static async Task<DualCacheApp> StartAsync(
        bool singleServer = false,
        int signInAttemptsPerWindow = 1000,
        string environment = "Development",
        IReadOnlyDictionary<string, string?>? settings = null,
        int sessionsServers = 1,
        Action<IServiceCollection>? services = null,
        bool? https = null)
    {
        var cacheServer = await LocalMemcached.StartAsync();
        IReadOnlyList<LocalMemcached> sessions = singleServer
            ? [cacheServer]
            : await Task.WhenAll(Enumerable.Range(0, sessionsServers).Select(_ => LocalMemcached.StartAsync()));
        var folder = Directory.CreateTempSubdirectory("dualcache-e2e-");
        var logs = new FakeLogCollector();
        try
        {
            var configuration = Configuration(cacheServer, sessions, folder, signInAttemptsPerWindow, environment, settings);
            var factory = Start(environment, configuration, logs, services, https ?? environment != "Development");
            return new DualCacheApp(factory, folder, cacheServer, sessions, logs);
        }
        catch (Exception)
        {
            // A start that fails (a scenario about a bad setting) leaves no memcached process or folder behind.
            foreach (var server in sessions.Prepend(cacheServer).Distinct())
            {
                await server.DisposeAsync();
            }

            SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
            throw;
        }
    }

    /// <summary>
    /// Stops the app and starts it again on the same database and Data Protection keys, with the roles on the servers
    /// given and the test defaults plus <paramref name="settings"/>. It listens on another port. The new app takes over
    /// this one's memcached processes and folder; disposing this one afterwards does nothing.
    /// </summary>
    public async Task<DualCacheApp> RestartAsync(LocalMemcached cacheServer, IReadOnlyList<LocalMemcached> sessionsServers, IReadOnlyDictionary<string, string?>? settings = null)
    {
        _handedOver = true;
        await _factory.DisposeAsync();
        SqliteConnection.ClearAllPools();
        var logs = new FakeLogCollector();
        var factory = Start("Development", Configuration(cacheServer, sessionsServers, _folder, 1000, "Development", settings), logs, null, https: false);
        return new DualCacheApp(factory, _folder, cacheServer, sessionsServers, logs, _servers);
    }

    private static Dictionary<string, string?> Configuration(
        LocalMemcached cacheServer, IReadOnlyList<LocalMemcached> sessions, DirectoryInfo folder, int signInAttemptsPerWindow, string environment, IReadOnlyDictionary<string, string?>? settings)
    {
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

            // The scenarios are about what the pages keep, not latency: on a loaded test machine one slow answer must
            // not become a database read or a 503 page (it did, twice, before the limit was raised here). No scenario
            // freezes a server; a killed one refuses connections at once.
            ["Memcached:cache:OperationTimeout"] = "00:00:10",
            ["Memcached:sessions:OperationTimeout"] = "00:00:10",
        };

        // Outside Development the keys must be protected at rest or the app does not start; the tests' keys live and
        // die in a temporary folder, the case the opt-out is for.
        if (environment != "Development")
        {
            configuration["DataProtection:AllowUnprotectedKeys"] = "true";
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        return configuration;
    }

    private static Factory Start(string environment, Dictionary<string, string?> configuration, FakeLogCollector logs, Action<IServiceCollection>? services, bool https)
    {
        var factory = new Factory(environment, configuration, logs, services ?? (_ => { }));
        factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            if (https)
            {
                listen.UseHttps(TestCertificate.Https);
            }
        }));
        try
        {
            factory.StartServer();
            return factory;
        }
        catch (Exception)
        {
            factory.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_handedOver)
        {
            return;
        }

        await _factory.DisposeAsync();
        foreach (var server in _servers)
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
