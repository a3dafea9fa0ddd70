using System.CommandLine;
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
    return await programs.Parse(args).InvokeAsync();
}

BenchmarkSwitcher.FromAssembly(typeof(ThroughputProgram).Assembly).Run(args);
return 0;
