using Microsoft.Extensions.Configuration;
using System.Diagnostics;

namespace DualCache.AppHost;

/// <summary>
/// Asks the container runtime Aspire would use (<c>ASPIRE_CONTAINER_RUNTIME</c>, else docker) whether its engine
/// answers, so that a first run on a machine without one falls back to memcached processes instead of failing.
/// </summary>
internal static class ContainerRuntime
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    /// <param name="configuration">The AppHost's configuration.</param>
    /// <returns>Whether it answered, and what it said (its version, or why not).</returns>
    public static (bool Answers, string Detail) Probe(IConfiguration configuration)
    {
        var runtime = configuration["ASPIRE_CONTAINER_RUNTIME"] ?? configuration["DOTNET_ASPIRE_CONTAINER_RUNTIME"] ?? "docker";
        var start = new ProcessStartInfo(runtime, ["info", "--format", "{{.ServerVersion}}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };

        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(s_timeout))
            {
                process.Kill(entireProcessTree: true);
                return (false, $"'{runtime} info' did not answer within {s_timeout.TotalSeconds:0} s");
            }

            return process.ExitCode == 0
                ? (true, $"{runtime} {output.Result.Trim()}")
                : (false, $"'{runtime} info' failed: {FirstLine(error.Result)}");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return (false, $"'{runtime}' is not installed");
        }
    }

    private static string FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "no message";
}
