using System.CommandLine;
using DualCache.Memcached;

namespace DualCache.Benchmarks;

/// <summary>The load program's knobs: <c>--callers 32 --seconds 10 --operation get|set|mixed --value-size 100 --connections 2 --server host:port --inline 0|1</c>.</summary>
public sealed record ThroughputSettings(int Callers, TimeSpan Duration, string Operation, int ValueSize, int Connections, string? Server, bool Inline = false)
{
    public static Command Command()
    {
        var callers = CommandOptions.Whole("--callers", 32, 1, 4096, "Callers, each with one operation in flight.");
        var seconds = CommandOptions.Whole("--seconds", 10, 1, 120, "How long the measured run lasts, after a 2 s warm-up.");
        var operation = new Option<string>("--operation") { Description = "What every caller repeats; mixed is one set to three gets.", DefaultValueFactory = _ => "get" };
        operation.AcceptOnlyFromAmong("get", "set", "mixed");
        var valueSize = CommandOptions.Whole("--value-size", 100, 1, 1024 * 1024, "Bytes per value.");
        var connections = CommandOptions.Whole("--connections", new MemcachedClientOptions().ConnectionsPerServer, 1, 64, "Connections to the server.");
        var server = new Option<string?>("--server") { Description = "host:port of a running memcached; without it, one is started on loopback." };
        var inline = CommandOptions.Whole("--inline", 0, 0, 1, "1: callers' continuations run on the connection's reader (UnsafePreferInlineScheduling).");

        var command = new Command("throughput", "Callers loop on one operation against memcached; prints ops/s and latency percentiles.")
        {
            callers, seconds, operation, valueSize, connections, server, inline,
        };
        command.SetAction((result, cancellationToken) => ThroughputProgram.RunAsync(new ThroughputSettings(
            result.GetValue(callers),
            TimeSpan.FromSeconds(result.GetValue(seconds)),
            result.GetRequiredValue(operation),
            result.GetValue(valueSize),
            result.GetValue(connections),
            result.GetValue(server),
            result.GetValue(inline) == 1), cancellationToken));
        return command;
    }
}
