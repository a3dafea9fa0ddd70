using System.Diagnostics;
using System.Globalization;
using DualCache.Memcached;

namespace DualCache.Benchmarks;

/// <summary>
/// Our client's load program and memcaslap (libmemcached's C load tool) side by side, against one memcached this
/// program starts (<c>-t 1</c> by default, loopback, a free port), in interleaved rounds. Each run is a separate
/// process: its rate is what the tool itself reports (memcaslap's from its Get/Set statistics tables, not its closing
/// TPS line, which counts the warm-up sets it writes first), and its CPU per operation, and the server's, are taken
/// over the measured part of the run: from <c>/proc</c> and memcached's own <c>rusage_*</c> stats, divided by the
/// operations memcached counted meanwhile.
/// </summary>
public static class CompareProgram
{
    private static readonly TimeSpan SampleEvery = TimeSpan.FromMilliseconds(100);

    /// <remarks>Cancelled (Ctrl+C, SIGTERM), it stops the run in progress and the memcached it started.</remarks>
    public static async Task<int> RunAsync(CompareSettings settings, CancellationToken cancellationToken)
    {
        await using var server = await LocalMemcached.StartAsync(new LocalMemcachedOptions
        {
            MemoryLimitMegabytes = 256,
            Arguments = ["-t", settings.ServerThreads.ToString(CultureInfo.InvariantCulture)],
        }, cancellationToken);
        await using var monitor = new MemcachedClient("monitor", new MemcachedClientOptions { Servers = server.ConnectionString, ConnectionsPerServer = 1 });
        var serverPid = int.Parse((await monitor.GetStatsAsync(cancellationToken))[0].Values["pid"], CultureInfo.InvariantCulture);
        var work = Directory.CreateTempSubdirectory("dualcache-compare-");
        try
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"memcached -t {settings.ServerThreads} at {server.ConnectionString}; {settings.Callers} callers on {settings.Connections} connection(s){(settings.Inline ? " with inline scheduling" : "")}, {settings.ValueSize}-byte values, {settings.Seconds} s runs, {settings.Rounds} rounds; load {LoadAverage()}"));
            var results = new List<RunResult>();
            for (var round = 1; round <= settings.Rounds; round++)
            {
                foreach (var operation in (string[])["get", "set"])
                {
                    // Who goes first alternates, so that neither always runs on the warmer (or busier) machine.
                    var ours = OursCommand(server, settings, operation);
                    var theirs = MemcaslapCommand(server, settings, operation, work.FullName);
                    foreach (var (tool, command) in round % 2 == 1 ? [("ours", ours), ("memcaslap", theirs)] : new[] { ("memcaslap", theirs), ("ours", ours) })
                    {
                        var result = await MeasureAsync(round, tool, operation, command, monitor, serverPid, settings, cancellationToken);
                        results.Add(result);
                        Console.WriteLine(result);
                    }
                }

                foreach (var operation in (string[])["get", "set"])
                {
                    var ours = results.Single(r => r.Round == round && r.Tool == "ours" && r.Operation == operation);
                    var theirs = results.Single(r => r.Round == round && r.Tool == "memcaslap" && r.Operation == operation);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"round {round} {operation}: ours/memcaslap {ours.OpsPerSecond / theirs.OpsPerSecond:0.00}x; client/server CPU per op: ours {ours.ClientCpuPerOp / ours.ServerCpuPerOp:0.00}, memcaslap {theirs.ClientCpuPerOp / theirs.ServerCpuPerOp:0.00}; load {LoadAverage()}"));
                }
            }

            PrintMedians(results);
            return 0;
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static ProcessStartInfo OursCommand(LocalMemcached server, CompareSettings settings, string operation)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true };
        foreach (var argument in (string[])[
            typeof(CompareProgram).Assembly.Location, "throughput", "--server", server.ConnectionString, "--operation", operation,
            "--callers", Text(settings.Callers), "--seconds", Text(settings.Seconds), "--value-size", Text(settings.ValueSize),
            "--connections", Text(settings.Connections), "--inline", settings.Inline ? "1" : "0"])
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    private static ProcessStartInfo MemcaslapCommand(LocalMemcached server, CompareSettings settings, string operation, string folder)
    {
        // Keys of 16 bytes (ours are 14 to 15), the same values, only gets or only sets.
        var config = Path.Combine(folder, $"{operation}.cfg");
        File.WriteAllText(config, $"key\n16 16 1\nvalue\n{settings.ValueSize} {settings.ValueSize} 1\ncmd\n0 {(operation == "set" ? "1.0" : "0.0")}\n1 {(operation == "get" ? "1.0" : "0.0")}\n");
        var start = new ProcessStartInfo("memcaslap") { RedirectStandardOutput = true };

        // -w 1k: a window of 1,000 keys per connection keeps the warm-up short; -S prints the statistics tables once, at the end.
        foreach (var argument in (string[])[
            "-s", server.ConnectionString, "-T", "2", "-c", Text(settings.Callers), "-t", $"{settings.Seconds}s", "-S", $"{settings.Seconds}s", "-w", "1k", "-F", config])
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    private static async Task<RunResult> MeasureAsync(int round, string tool, string operation, ProcessStartInfo command, MemcachedClient monitor, int serverPid, CompareSettings settings, CancellationToken cancellationToken)
    {
        using var process = Process.Start(command)!;
        using var stop = cancellationToken.Register(() => StopRun(process));
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var samples = new List<Sample>();
        while (!process.HasExited)
        {
            samples.Add(await SampleAsync(process.Id, serverPid, monitor));
            await Task.Delay(SampleEvery, cancellationToken);
        }

        cancellationToken.ThrowIfCancellationRequested();

        var exitedAt = Stopwatch.GetTimestamp();
        await process.WaitForExitAsync(cancellationToken);
        var text = await output;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} {operation} exited with {process.ExitCode}:\n{text}");
        }

        // The measured part ends the run: the last seconds before the tool exited, leaving out its exit itself.
        var windowEnd = exitedAt - (long)(0.4 * Stopwatch.Frequency);
        var windowStart = windowEnd - (long)((settings.Seconds - 1) * Stopwatch.Frequency);
        var first = samples.First(s => s.At >= windowStart && s.Client is not null);
        var last = samples.Last(s => s.At <= windowEnd && s.Client is not null);
        double operations = operation == "get" ? last.Gets - first.Gets : last.Sets - first.Sets;
        return new RunResult(
            round,
            tool,
            operation,
            tool == "ours" ? OursRate(text) : MemcaslapRate(text, operation),
            operations / Stopwatch.GetElapsedTime(first.At, last.At).TotalSeconds,
            (last.Client!.Value - first.Client!.Value).TotalMicroseconds / operations,
            (last.Server - first.Server).TotalMicroseconds / operations,
            (last.ServerRusage - first.ServerRusage) * 1e6 / operations);
    }

    /// <summary>A run left behind would go on loading the machine, and memcaslap would outlive us.</summary>
    private static void StopRun(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It had already exited.
        }
    }

    private static async Task<Sample> SampleAsync(int clientPid, int serverPid, MemcachedClient monitor)
    {
        var at = Stopwatch.GetTimestamp();
        var client = ProcessCpu.Read(clientPid);
        var server = ProcessCpu.Read(serverPid) ?? throw new InvalidOperationException("memcached exited.");
        var stats = (await monitor.GetStatsAsync())[0].Values;
        return new Sample(
            at,
            client,
            server,
            Number(stats["rusage_user"]) + Number(stats["rusage_system"]),
            long.Parse(stats["cmd_get"], CultureInfo.InvariantCulture),
            long.Parse(stats["cmd_set"], CultureInfo.InvariantCulture));
    }

    private static double OursRate(string output) =>
        Number(output.Split(' ').Single(part => part.StartsWith("ops/s=", StringComparison.Ordinal))["ops/s=".Length..]);

    /// <summary>The TPS column of the Global row in memcaslap's "Get Statistics" or "Set Statistics" table.</summary>
    private static double MemcaslapRate(string output, string operation)
    {
        var lines = output.Split('\n');
        var table = Array.FindIndex(lines, line => line.Trim() == (operation == "get" ? "Get Statistics" : "Set Statistics"));
        var global = lines.Skip(table).First(line => line.StartsWith("Global", StringComparison.Ordinal));
        return Number(global.Split(' ', StringSplitOptions.RemoveEmptyEntries)[3]);
    }

    private static void PrintMedians(List<RunResult> results)
    {
        Console.WriteLine();
        Console.WriteLine("medians over the rounds (CPU in microseconds per operation; ratios are medians of the per-round ratios):");
        foreach (var operation in (string[])["get", "set"])
        {
            foreach (var tool in (string[])["ours", "memcaslap"])
            {
                var runs = results.Where(r => r.Tool == tool && r.Operation == operation).ToList();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{operation} {tool,-9}: {Median(runs.Select(r => r.OpsPerSecond)),9:0} ops/s (server counted {Median(runs.Select(r => r.ServerOpsPerSecond)),9:0}); client {Median(runs.Select(r => r.ClientCpuPerOp)):0.00} us/op, server {Median(runs.Select(r => r.ServerCpuPerOp)):0.00} us/op (memcached's rusage {Median(runs.Select(r => r.ServerRusagePerOp)):0.00}); client/server {Median(runs.Select(r => r.ClientCpuPerOp / r.ServerCpuPerOp)):0.00}"));
            }

            var rounds = results.Select(r => r.Round).Distinct();
            var ratios = rounds.Select(round =>
                results.Single(r => r.Round == round && r.Tool == "ours" && r.Operation == operation).OpsPerSecond /
                results.Single(r => r.Round == round && r.Tool == "memcaslap" && r.Operation == operation).OpsPerSecond).ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{operation} ours/memcaslap: median {Median(ratios):0.00}x, per round {string.Join(", ", ratios.Select(r => r.ToString("0.00", CultureInfo.InvariantCulture)))}"));
        }

        Console.WriteLine($"load at the end {LoadAverage()}");
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    private static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private sealed record Sample(long At, TimeSpan? Client, TimeSpan Server, double ServerRusage, long Gets, long Sets);

    private sealed record RunResult(int Round, string Tool, string Operation, double OpsPerSecond, double ServerOpsPerSecond, double ClientCpuPerOp, double ServerCpuPerOp, double ServerRusagePerOp)
    {
        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"round {Round} {Operation} {Tool,-9}: {OpsPerSecond,9:0} ops/s (server counted {ServerOpsPerSecond,9:0}); CPU per op: client {ClientCpuPerOp:0.00} us, server {ServerCpuPerOp:0.00} us (rusage {ServerRusagePerOp:0.00} us)");
    }
}
