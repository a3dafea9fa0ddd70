using System.Diagnostics;
using System.Diagnostics.Tracing;
using System.Globalization;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace DualCache.Benchmarks;

/// <summary>
/// What a running .NET process allocates, in all and by type, from the runtime's own allocation sampling over
/// EventPipe: the GC's AllocationTick event, about one per 100 KB allocated, each carrying the bytes since the last one
/// and the type of the object that crossed the mark. dotnet-counters gives only the total and dotnet-trace's report only
/// CPU samples; this is the per-type split that web-load.sh (ALLOC=1) divides by each page's requests. The total is
/// exact; the split by type is a sample at a fixed stride, so a type's share is trustworthy only where it repeats
/// across runs.
/// </summary>
public static class AllocationProgram
{
    public static async Task<int> RunAsync(AllocationSettings settings)
    {
        var client = new DiagnosticsClient(settings.ProcessId);
        var provider = new EventPipeProvider(ClrTraceEventParser.ProviderName, EventLevel.Verbose, (long)ClrTraceEventParser.Keywords.GC);
        EventPipeSession session;
        try
        {
            session = client.StartEventPipeSession([provider], requestRundown: false);
        }
        catch (Exception error) when (error is ServerNotAvailableException or UnsupportedCommandException)
        {
            Console.Error.WriteLine($"Cannot sample process {settings.ProcessId}: {error.Message} (is it a running .NET process?)");
            return 1;
        }

        using (session)
        {
            // Written only by the reading task's thread, and read after it ends.
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

            // The stream also ends when the process exits: what was read until then is still worth printing.
            var ended = await Task.WhenAny(Task.Delay(settings.Duration), reading) == reading;
            var seconds = stopwatch.Elapsed.TotalSeconds;
            if (!ended)
            {
                try
                {
                    await session.StopAsync(CancellationToken.None);
                }
                catch (ServerNotAvailableException)
                {
                    ended = true;
                }
            }

            await reading;
            if (ended)
            {
                Console.Error.WriteLine($"Process {settings.ProcessId} ended after {seconds:0.0} s of sampling.");
            }

            // Bytes, not a rate: web-load.sh samples a whole wrk run and divides by its requests.
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{total}\t(total)"));
            foreach (var (type, bytes) in byType.OrderByDescending(entry => entry.Value).Take(settings.Top))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{bytes}\t{type}"));
            }

            return ended ? 1 : 0;
        }
    }
}
