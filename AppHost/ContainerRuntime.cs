using System.Diagnostics;
using Microsoft.Extensions.Configuration;

namespace DualCache.AppHost;

/// <summary>
/// Asks the container runtime Aspire would use (<c>ASPIRE_CONTAINER_RUNTIME</c>, else docker) whether its engine
/// answers and whether it has or can pull an image, so that a first run on a machine without either falls back to
/// memcached processes instead of failing.
/// </summary>
internal static class ContainerRuntime
{
    private static readonly TimeSpan s_infoTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan s_pullTimeout = TimeSpan.FromMinutes(2);

    /// <param name="configuration">The AppHost's configuration.</param>
    /// <returns>Whether the engine answered, and what it said (its version, or why not).</returns>
    public static (bool Answers, string Detail) Probe(IConfiguration configuration)
    {
        var runtime = Name(configuration);
        // The engine's version, which only an engine that answers can give; Podman names the field differently.
        var format = runtime.EndsWith("podman", StringComparison.Ordinal) ? "{{.Version.Version}}" : "{{.ServerVersion}}";
        var (exitCode, output) = Run(runtime, ["info", "--format", format], s_infoTimeout);
        return exitCode == 0 ? (true, $"{runtime} {output}") : (false, output);
    }

    /// <summary>Whether the image is there, pulling it when it is not.</summary>
    /// <returns>Whether it is there now, and why not.</returns>
    public static (bool Present, string Detail) EnsureImage(IConfiguration configuration, string image)
    {
        var runtime = Name(configuration);
        if (Run(runtime, ["image", "inspect", image], s_infoTimeout).ExitCode == 0)
        {
            return (true, "present");
        }

        var (exitCode, output) = Run(runtime, ["pull", image], s_pullTimeout);
        return exitCode == 0 ? (true, "pulled") : (false, $"{image} is not present and could not be pulled: {output}");
    }

    /// <summary>The runtime's command: <c>ASPIRE_CONTAINER_RUNTIME</c>, as Aspire reads it, else docker.</summary>
    public static string Name(IConfiguration configuration) =>
        configuration["ASPIRE_CONTAINER_RUNTIME"] ?? configuration["DOTNET_ASPIRE_CONTAINER_RUNTIME"] ?? "docker";

    /// <returns>The exit code (-1 when it did not run or finish) and its first line of output, or why it failed.</returns>
    private static (int ExitCode, string Output) Run(string runtime, string[] arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(runtime, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                return (-1, $"'{runtime} {arguments[0]}' did not answer within {timeout.TotalSeconds:0} s");
            }

            return process.ExitCode == 0
                ? (0, FirstLine(output.Result))
                : (process.ExitCode, $"'{runtime} {arguments[0]}' failed: {FirstLine(error.Result)}");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return (-1, $"'{runtime}' is not installed");
        }
    }

    private static string FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "no message";
}
