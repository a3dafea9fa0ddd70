using DualCache.Memcached;
using DualCache.Tests.Integration;

namespace DualCache.Tests.Unit;

public class LocalMemcachedTests
{
    [Fact]
    public async Task Without_memcached_installed_the_error_says_how_to_install_it()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            LocalMemcached.StartAsync(new LocalMemcachedOptions { ExecutablePath = "/nonexistent/memcached" }));

        Assert.Contains("apt-get install memcached", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_cannot_start_reports_what_memcached_said()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            LocalMemcached.StartAsync(new LocalMemcachedOptions { Arguments = ["--no-such-option"] }));

        Assert.Contains("exited", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Servers_started_at_the_same_time_each_answer_on_a_port_of_their_own()
    {
        // Each server binds a free port itself and reports it; a port picked beforehand could go to two of them, and
        // the one that lost the bind would then have been found answering on the other's port.
        var servers = await LocalServers.StartAsync(12);
        try
        {
            var pids = new List<string>();
            foreach (var server in servers)
            {
                await using var client = new MemcachedClient("probe", new MemcachedClientOptions { Servers = server.ConnectionString, OperationTimeout = TimeSpan.FromSeconds(10) });
                pids.Add((await client.GetStatsAsync())[0].Values["pid"]);
            }

            Assert.Equal(servers.Length, servers.Select(s => s.Port).Distinct().Count());
            Assert.Equal(servers.Length, pids.Distinct().Count());
        }
        finally
        {
            foreach (var server in servers)
            {
                await server.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_server_given_a_port_that_is_taken_says_so()
    {
        await using var first = await LocalMemcached.StartAsync();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => LocalMemcached.StartAsync(new LocalMemcachedOptions { Port = first.Port }));

        Assert.Contains("Address already in use", error.Message, StringComparison.Ordinal);
    }
}
