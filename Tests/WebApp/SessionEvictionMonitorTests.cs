using DualCache.Memcached;
using DualCache.WebApp.Sessions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
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
        var logger = new FakeLogger<SessionEvictionMonitor>();
        var monitor = new SessionEvictionMonitor(sessions, Options.Create(new SessionEvictionMonitorOptions()), logger);

        await monitor.CheckAsync(CancellationToken.None);
        Assert.DoesNotContain(logger.Collector.GetSnapshot(), record => record.Message.Contains("evicted", StringComparison.Ordinal));

        var session = new byte[10_000];
        for (var i = 0; i < 400; i++)
        {
            await sessions.SetAsync($"session:{i}", session);
        }

        await monitor.CheckAsync(CancellationToken.None);

        var warning = Assert.Single(logger.Collector.GetSnapshot(), record => record.Message.Contains("The session store evicted", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains(server.ConnectionString, warning.Message, StringComparison.Ordinal);
    }
}
