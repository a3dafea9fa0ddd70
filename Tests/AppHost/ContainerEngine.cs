extern alias AppHost;

using System.Diagnostics;
using Microsoft.Extensions.Configuration;

namespace DualCache.Tests.AppHost;

/// <summary>
/// The container engine the container-mode scenarios need. When it does not answer, they fail and say why: a
/// silently skipped scenario would read as a passing one.
/// </summary>
public static class ContainerEngine
{
    /// <summary>The image the AppHost will use: <c>DualCache__MemcachedImage</c> (set by .ci/run), else the official one.</summary>
    public static string MemcachedImage =>
        Environment.GetEnvironmentVariable("DualCache__MemcachedImage") is { Length: > 0 } image ? image : "docker.io/library/memcached:1.6";

    private static readonly IConfiguration s_environment = new ConfigurationBuilder().AddEnvironmentVariables().Build();

    private static string Runtime => AppHost::DualCache.AppHost.ContainerRuntime.Name(s_environment);

    public static void EnsureRunning()
    {
        var (answers, detail) = AppHost::DualCache.AppHost.ContainerRuntime.Probe(s_environment);
        if (!answers)
        {
            Assert.Fail(
                $"The container-mode scenarios need a running container engine, and {detail}. On Debian: " +
                "'apt-get install docker.io', then 'dockerd &' as root; .ci/run does both and builds the memcached image.");
        }
    }

    /// <summary>Removes a container by name, whether or not it exists.</summary>
    public static async Task RemoveAsync(string name)
    {
        using var process = Process.Start(new ProcessStartInfo(Runtime, ["rm", "--force", name])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        await process.WaitForExitAsync();
    }

    /// <summary>Whether a container of that name exists (running or not).</summary>
    public static async Task<bool> ExistsAsync(string name)
    {
        using var process = Process.Start(new ProcessStartInfo(Runtime, ["container", "inspect", name])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        await process.WaitForExitAsync();
        return process.ExitCode == 0;
    }
}
