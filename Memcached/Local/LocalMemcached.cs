using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace DualCache.Memcached;

/// <summary>
/// A real memcached process on a loopback port, for tests and for running the app without containers.
/// It is only ever bound to 127.0.0.1.
/// </summary>
public sealed class LocalMemcached : IAsyncDisposable
{
    /// <summary>How to get memcached, for the message of a start that did not find it.</summary>
    public const string InstallAdvice =
        "memcached was not found. Install it (Debian/Ubuntu: 'sudo apt-get install memcached'; macOS: 'brew install memcached')";

    private const string InstallHint = InstallAdvice + " or set LocalMemcachedOptions.ExecutablePath to the binary.";

    private readonly LocalMemcachedOptions _options;
    private readonly StringBuilder _output = new();
    private Process? _process;

    private LocalMemcached(LocalMemcachedOptions options, int port)
    {
        _options = options;
        Port = port;
    }

    public static string Host => "127.0.0.1";

    /// <summary>The port memcached listens on; without one in the options, the free port it bound itself.</summary>
    public int Port { get; private set; }

    /// <summary>The connection string for this server: <c>127.0.0.1:port</c>.</summary>
    public string ConnectionString => $"{Host}:{Port}";

    public MemcachedEndPoint EndPoint => new(Host, Port);

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Starts memcached and returns once it accepts connections on its port.</summary>
    public static async Task<LocalMemcached> StartAsync(LocalMemcachedOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new LocalMemcachedOptions();
        var server = new LocalMemcached(options, options.Port);
        try
        {
            await server.StartProcessAsync(cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Ends the process at once, as a crash would.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
    }

    /// <summary>
    /// Freezes the process (SIGSTOP): connections stay open but nothing is answered, as with a hung server. Returns
    /// once every thread has stopped: kill returns as soon as the signal is sent, and until the stop reaches all of
    /// memcached's threads, one may still answer a request sent meanwhile (seen in tests on a loaded machine).
    /// </summary>
    public void Pause()
    {
        Signal("-STOP");
        WaitUntilStopped(_process!.Id);
    }

    /// <summary>Lets a paused process run again (SIGCONT).</summary>
    public void Resume() => Signal("-CONT");

    /// <summary>Starts the server again on the same port, empty, as after a restart.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        Kill();
        _process?.Dispose();
        _process = null;
        await StartProcessAsync(cancellationToken);
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process?.Dispose();
        _process = null;
        return ValueTask.CompletedTask;
    }

    public override string ToString() => $"memcached on {ConnectionString}";

    private async Task StartProcessAsync(CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(_options.ExecutablePath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in BuildArguments())
        {
            start.ArgumentList.Add(argument);
        }

        // memcached writes the port it listens on to this file once it listens: the free one it bound itself (-p -1)
        // when it was given none. Picking a free port here and passing it on would race (another server started
        // meanwhile could be given the same one), and a server answering on the port could be another process's.
        var portFile = Path.Combine(Path.GetTempPath(), $"dualcache-memcached-{Guid.NewGuid():N}.port");
        start.Environment["MEMCACHED_PORT_FILENAME"] = portFile;

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException(InstallHint);
        }
        catch (Win32Exception exception)
        {
            throw new InvalidOperationException(InstallHint, exception);
        }

        _process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        Port = await ReadBoundPortAsync(process, portFile, cancellationToken);
    }

    private async Task<int> ReadBoundPortAsync(Process process, string portFile, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            // memcached writes "<portFile>.lck" and renames it once every socket listens: when the file is there, it is
            // whole and the port accepts connections.
            while (!File.Exists(portFile))
            {
                ThrowIfExited(process);
                if (Stopwatch.GetElapsedTime(started) > _options.StartTimeout)
                {
                    throw new InvalidOperationException($"memcached did not report its port within {_options.StartTimeout}: {Output()}");
                }

                await Task.Delay(10, cancellationToken);
            }

            var line = (await File.ReadAllLinesAsync(portFile, cancellationToken)).FirstOrDefault(l => l.StartsWith("TCP INET: ", StringComparison.Ordinal));
            return line is not null && int.TryParse(line.AsSpan("TCP INET: ".Length), System.Globalization.CultureInfo.InvariantCulture, out var port)
                ? port
                : throw new InvalidOperationException($"memcached reported no TCP port in {portFile}: {Output()}");
        }
        catch
        {
            // Stopped first, so that a memcached still starting cannot write the file after it is deleted.
            Kill();
            throw;
        }
        finally
        {
            File.Delete(portFile);
            File.Delete(portFile + ".lck");
        }
    }

    private void WaitUntilStopped(int pid)
    {
        var threads = $"/proc/{pid}/task";
        if (!Directory.Exists(threads))
        {
            // Not Linux: no per-thread state to read, so kill's own timing is all there is.
            return;
        }

        var started = Stopwatch.GetTimestamp();
        while (!Directory.EnumerateDirectories(threads).All(IsStopped))
        {
            if (Stopwatch.GetElapsedTime(started) > _options.StartTimeout)
            {
                throw new InvalidOperationException($"{this} did not stop within {_options.StartTimeout} of SIGSTOP.");
            }

            Thread.Sleep(1);
        }
    }

    private static bool IsStopped(string thread)
    {
        try
        {
            // "pid (name) state ...": the state follows the last ')', since a name may hold spaces or parentheses.
            var stat = File.ReadAllText(Path.Combine(thread, "stat"));
            return stat[stat.LastIndexOf(')') + 2] is 'T' or 't';
        }
        catch (IOException)
        {
            // The thread ended meanwhile.
            return true;
        }
    }

    private void Signal(string signal)
    {
        if (_process is not { HasExited: false } process)
        {
            throw new InvalidOperationException($"{this} is not running.");
        }

        using var kill = Process.Start("kill", [signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill {signal} {process.Id} failed with exit code {kill.ExitCode}.");
        }
    }

    private IEnumerable<string> BuildArguments() => Arguments(Port == 0 ? AnyFreePort : Port, _options.MemoryLimitMegabytes).Concat(_options.Arguments);

    /// <summary>memcached's "-p -1": bind a free port and name it in the file <c>MEMCACHED_PORT_FILENAME</c> names.</summary>
    private const int AnyFreePort = -1;

    /// <summary>
    /// memcached's command line for a server on 127.0.0.1 at this port (-1: a free one, which memcached names in the
    /// file the environment variable <c>MEMCACHED_PORT_FILENAME</c> points to), TCP only, with this much memory.
    /// </summary>
    public static IEnumerable<string> Arguments(int port, int memoryLimitMegabytes)
    {
        // memcached refuses to run as root unless told which user to be.
        if (Environment.UserName == "root")
        {
            yield return "-u";
            yield return "root";
        }

        yield return "-l";
        yield return Host;
        yield return "-p";
        yield return port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        yield return "-U";
        yield return "0";
        yield return "-m";
        yield return memoryLimitMegabytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private void ThrowIfExited(Process process)
    {
        if (!process.HasExited)
        {
            return;
        }

        // Let the asynchronous readers take in everything the process wrote before it exited.
        process.WaitForExit();
        var where = Port == 0 ? "on a free port" : $"on {ConnectionString}";
        throw new InvalidOperationException($"memcached exited with code {process.ExitCode} before it listened {where}: {Output()}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private string Output()
    {
        lock (_output)
        {
            return _output.ToString().Trim();
        }
    }
}
