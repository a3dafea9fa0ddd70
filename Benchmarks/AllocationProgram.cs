using System.Diagnostics;
using System.Diagnostics.Tracing;
using System.Globalization;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace DualCache.Benchmarks;

/// <summary>
/// What a running .NET process allocates per second, in all and by type, from the runtime's own allocation sampling
/// (the GC's AllocationTick event, about one per 100 KB allocated, each carrying the bytes since the last one and the
/// type that crossed the mark) over EventPipe. dotnet-counters gives only the total and dotnet-trace's report only CPU
/// samples; this is the per-type split that web-load.sh (ALLOC=1) divides by each page's requests.
/// </summary>
public static class AllocationProgram
{
    public static async Task<int> RunAsync(AllocationSettings settings)
    {
        var client = new DiagnosticsClient(settings.ProcessId);
        var provider = new EventPipeProvider(ClrTraceEventParser.ProviderName, EventLevel.Verbose, (long)ClrTraceEventParser.Keywords.GC);
        using var session = client.StartEventPipeSession([provider], requestRundown: false);

        var byType = new Dictionary<string, long>();
        long total = 0;
        var stopwatch = Stopwatch.StartNew();
        var reading = Task.Run(() =>
        {
            using var source = new EventPipeEventSource(session.EventStream);
            source.Clr.GCAllocationTick += tick =>
            {
                var type = tick.TypeName is { Length: > 0 } name ? name : "(unknown)";
                byType[type] = byType.GetValueOrDefault(type) + tick.AllocationAmount64;
                total += tick.AllocationAmount64;
            };
            source.Process();
        });

        await Task.Delay(settings.Duration);
        await session.StopAsync(CancellationToken.None);
        await reading;
        var seconds = stopwatch.Elapsed.TotalSeconds;

        // Tab-separated, bytes per second: the total first, then the types by what they allocated.
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{total / seconds:0}\t(total)"));
        foreach (var (type, bytes) in byType.OrderByDescending(entry => entry.Value).Take(settings.Top))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{bytes / seconds:0}\t{type}"));
        }

        return 0;
    }
}
