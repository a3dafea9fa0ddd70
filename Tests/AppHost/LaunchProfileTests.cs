using System.Text.RegularExpressions;
using Microsoft.Extensions.Hosting;

namespace DualCache.Tests.AppHost;

/// <summary>
/// The ports the launch profiles give the dashboard and the apps stay clear of the local memcached servers'. They met
/// once: the AppHost's https profile put the dashboard's telemetry endpoint on the port of the web app's local
/// <c>cache</c> server, which outlives the app, so the telemetry went to memcached with no error anywhere.
/// </summary>
public sealed partial class LaunchProfileTests
{
    [Theory]
    [InlineData("AppHost/Properties/launchSettings.json")]
    [InlineData("WebApp/Properties/launchSettings.json")]
    public void No_launch_profile_uses_a_local_memcached_port(string file)
    {
        var ports = Ports().Matches(File.ReadAllText(Path.Combine(RepositoryRoot(), file))).Select(match => int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();

        Assert.NotEmpty(ports);
        Assert.DoesNotContain(LocalMemcachedExtensions.DefaultCachePort, ports);
        Assert.DoesNotContain(LocalMemcachedExtensions.DefaultSessionsPort, ports);
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "DualCache.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No DualCache.sln above {AppContext.BaseDirectory}.");
    }

    [GeneratedRegex(@"://[^:/""]+:(\d+)")]
    private static partial Regex Ports();
}
