using System.ComponentModel;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using DualCache.Memcached;

namespace DualCache.WebApp.Development;

/// <summary>
/// A Development memcached on a fixed loopback port that outlives the app (started with <c>-d</c>, so it is not the
/// app's child), so that a restart of the app finds the tickets where it left them, as the AppHost's persistent
/// sessions container does. The library's <see cref="LocalMemcached"/> is the opposite: a process
/// that dies with its owner, for tests.
/// </summary>
public static class DetachedMemcached
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The memory each development server gets: the default of memcached itself.</summary>
    private const int MemoryLimitMegabytes = 64;

    /// <summary>
    /// Reuses the memcached answering on <paramref name="port"/>, or starts one there writing its pid to
    /// <paramref name="pidFile"/>. Fails, naming <paramref name="setting"/>, when something else holds the port.
    /// </summary>
    /// <returns>Whether a running server was reused.</returns>
    public static async Task<bool> EnsureAsync(int port, string setting, string pidFile, CancellationToken cancellationToken = default)
    {
        switch (await ProbeAsync(port, cancellationToken))
        {
            case Probe.Memcached:
                return true;
            case Probe.SomethingElse:
                throw new InvalidOperationException(
                    $"{setting} is {port}, but what listens on 127.0.0.1:{port} does not answer as memcached. Stop it, or set {setting} to a free port.");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(pidFile)!);
        await LaunchAsync(port, pidFile, cancellationToken);
        var deadline = DateTime.UtcNow + StartTimeout;
        while (await ProbeAsync(port, cancellationToken) != Probe.Memcached)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException(
                    $"memcached started for {setting} did not answer on 127.0.0.1:{port} within {StartTimeout.TotalSeconds} s; is the port free?");
            }

            await Task.Delay(50, cancellationToken);
        }

        return false;
    }

    private static async Task LaunchAsync(int port, string pidFile, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("memcached") { RedirectStandardError = true, UseShellExecute = false };

        // memcached changes to / once detached: the pid file's path must be absolute.
        foreach (var argument in LocalMemcached.Arguments(port, MemoryLimitMegabytes).Concat(["-d", "-P", Path.GetFullPath(pidFile)]))
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            // With -d the launched process forks the server and exits at once.
            using var launcher = Process.Start(start)!;
            var errors = await launcher.StandardError.ReadToEndAsync(cancellationToken);
            await launcher.WaitForExitAsync(cancellationToken);
            if (launcher.ExitCode != 0)
            {
                throw new InvalidOperationException($"memcached -d -p {port} exited with code {launcher.ExitCode}: {errors.Trim()}");
            }
        }
        catch (Win32Exception exception)
        {
            throw new InvalidOperationException(
                LocalMemcached.InstallAdvice + ", or configure ConnectionStrings:cache and ConnectionStrings:sessions.",
                exception);
        }
    }

    private enum Probe
    {
        Nothing,
        Memcached,
        SomethingElse,
    }

    /// <summary>A <c>version</c> round trip: only memcached answers it with <c>VERSION</c>.</summary>
    private static async Task<Probe> ProbeAsync(int port, CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
        }
        catch (SocketException)
        {
            return Probe.Nothing;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            await socket.SendAsync("version\r\n"u8.ToArray(), timeout.Token);
            var buffer = new byte[64];
            var read = 0;
            while (read < buffer.Length && Array.IndexOf(buffer, (byte)'\n', 0, read) < 0)
            {
                var count = await socket.ReceiveAsync(buffer.AsMemory(read), timeout.Token);
                if (count == 0)
                {
                    break;
                }

                read += count;
            }

            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("VERSION ", StringComparison.Ordinal) ? Probe.Memcached : Probe.SomethingElse;
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return Probe.SomethingElse;
        }
    }
}
