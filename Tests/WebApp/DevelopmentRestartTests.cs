using System.Net;
using System.Net.Sockets;
using DualCache.WebApp.Accounts;
using Microsoft.Extensions.Configuration;

namespace DualCache.Tests.WebApp;

/// <summary>'dotnet run --project WebApp', stopped and started again, in Development with no servers configured.</summary>
public sealed class DevelopmentRestartTests
{
    [Fact]
    public void The_demo_password_stays_the_same_across_starts_unless_set()
    {
        using var folder = new DevelopmentFolder();
        var unset = new ConfigurationBuilder().Build();
        var set = new ConfigurationBuilder().AddInMemoryCollection([new("DemoAccounts:Password", "chosen")]).Build();

        var first = DemoAccount.Create(unset, folder.ContentRoot)[0].Password;
        var second = DemoAccount.Create(unset, folder.ContentRoot)[0].Password;

        Assert.Equal(first, second);
        Assert.Equal(first, folder.DemoPassword);
        Assert.Equal("chosen", DemoAccount.Create(set, folder.ContentRoot)[0].Password);
    }

    [Fact]
    public async Task A_port_held_by_something_that_is_not_memcached_fails_the_start_naming_the_setting()
    {
        using var folder = new DevelopmentFolder();
        using var squatter = new TcpListener(IPAddress.Loopback, folder.CachePort);
        squatter.Start();
        await using var app = folder.App();

        var exception = Record.Exception(() => app.Services);

        Assert.NotNull(exception);
        Assert.Contains($"LocalMemcached:CachePort is {folder.CachePort}", exception.ToString(), StringComparison.Ordinal);
    }
}
