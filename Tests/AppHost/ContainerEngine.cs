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
    public static Task RemoveAsync(string name) => RunAsync("rm", "--force", name);

    /// <summary>Whether a container of that name exists (running or not).</summary>
    public static async Task<bool> ExistsAsync(string name) => await RunAsync("container", "inspect", name) == 0;

    /// <returns>The exit code, or -1 when the command did not finish within a minute.</returns>
    private static async Task<int> RunAsync(params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(Runtime, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();

        // Bounded: a CLI call that never reports its exit (seen once, after 'docker rm' had done its work) must not
        // hold up the whole test run.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
            await Task.WhenAll(output, error);
            return process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return -1;
        }
    }
}
