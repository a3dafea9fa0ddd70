using DualCache.Memcached;
using DualCache.Tests.EndToEnd;
using DualCache.WebApp.Sessions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DualCache.Tests.WebApp;

public sealed class SessionEvictionMonitorTests
{
    [Fact]
    public async Task A_session_store_that_starts_evicting_is_logged_as_a_warning()
    {
        // 2 MB of memory and 4 MB of sessions: memcached has to evict.
        await using var server = await LocalMemcached.StartAsync(new LocalMemcachedOptions { MemoryLimitMegabytes = 2 });
        await using var sessions = new MemcachedClient("sessions", new MemcachedClientOptions { Servers = server.ConnectionString });
        var logs = new CapturedLogs();
        using var loggerFactory = LoggerFactory.Create(logging => logging.AddProvider(logs));
        var monitor = new SessionEvictionMonitor(sessions, Options.Create(new SessionEvictionMonitorOptions()), loggerFactory.CreateLogger<SessionEvictionMonitor>());

        await monitor.CheckAsync(CancellationToken.None);
        Assert.DoesNotContain(logs.Lines, line => line.Contains("evicted", StringComparison.Ordinal));

        var session = new byte[10_000];
        for (var i = 0; i < 400; i++)
        {
            await sessions.SetAsync($"session:{i}", session);
        }

        await monitor.CheckAsync(CancellationToken.None);

        var warning = Assert.Single(logs.Lines, line => line.Contains("The session store evicted", StringComparison.Ordinal));
        Assert.Contains("Warning", warning, StringComparison.Ordinal);
        Assert.Contains(server.ConnectionString, warning, StringComparison.Ordinal);
    }
}
