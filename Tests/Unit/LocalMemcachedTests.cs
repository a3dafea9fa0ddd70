using DualCache.Memcached;

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
}
