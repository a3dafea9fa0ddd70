using System.CommandLine;
using System.CommandLine.Invocation;
using BenchmarkDotNet.Running;
using DualCache.Benchmarks;

// "throughput ..." runs the load program, "compare ..." it and memcaslap side by side, "allocations ..." samples what a
// running .NET process allocates; anything else goes to BenchmarkDotNet (e.g. --filter *Get*).
if (args is ["throughput" or "compare" or "allocations", ..])
{
    var programs = new RootCommand("DualCache's load programs; anything else goes to BenchmarkDotNet (e.g. --filter *Get*).")
    {
        ThroughputSettings.Command(),
        CompareSettings.Command(),
        AllocationSettings.Command(),
    };
    var parsed = programs.Parse(args);
    if (parsed.Action is ParseErrorAction errors)
    {
        // Its guesses pair an unknown option's value with -h, which reads as nonsense next to the real error.
        errors.ShowTypoCorrections = false;
    }

    return await parsed.InvokeAsync();
}

BenchmarkSwitcher.FromAssembly(typeof(ThroughputProgram).Assembly).Run(args);
return 0;
