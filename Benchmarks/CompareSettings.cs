using System.CommandLine;
using DualCache.Memcached;

namespace DualCache.Benchmarks;

/// <summary>The side-by-side run's knobs: <c>--rounds 5 --seconds 10 --callers 32 --value-size 100 --threads 1 --connections 2 --inline 0</c>; <c>--inline 1</c> measures ours with <see cref="MemcachedClientOptions.UnsafePreferInlineScheduling"/>.</summary>
public sealed record CompareSettings(int Rounds, int Seconds, int Callers, int ValueSize, int ServerThreads, int Connections, bool Inline)
{
    public static Command Command()
    {
        var rounds = CommandOptions.Whole("--rounds", 5, 1, 50, "Interleaved rounds, each running ours and memcaslap for gets, then sets.");
        var seconds = CommandOptions.Whole("--seconds", 10, 3, 60, "How long each run lasts; CPU is read over its last seconds.");
        var callers = CommandOptions.Whole("--callers", 32, 1, 4096, "Concurrent callers, for both tools.");
        var valueSize = CommandOptions.Whole("--value-size", 100, 1, 1024 * 1024, "Bytes per value.");
        var threads = CommandOptions.Whole("--threads", 1, 1, 64, "memcached's worker threads (-t).");
        var connections = CommandOptions.Whole("--connections", new MemcachedClientOptions().ConnectionsPerServer, 1, 64, "Our client's connections to the server.");
        var inline = CommandOptions.Whole("--inline", 0, 0, 1, "1: our callers' continuations run on the connection's reader (UnsafePreferInlineScheduling).");

        var command = new Command("compare", "Ours and memcaslap against one memcached in interleaved rounds; prints medians and per-round ratios.")
        {
            rounds, seconds, callers, valueSize, threads, connections, inline,
        };
        command.SetAction((result, cancellationToken) => CompareProgram.RunAsync(new CompareSettings(
            result.GetValue(rounds),
            result.GetValue(seconds),
            result.GetValue(callers),
            result.GetValue(valueSize),
            result.GetValue(threads),
            result.GetValue(connections),
            result.GetValue(inline) == 1), cancellationToken));
        return command;
    }
}
