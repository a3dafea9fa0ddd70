using BenchmarkDotNet.Running;
using DualCache.Benchmarks;

// "throughput ..." runs the load program, "compare ..." it and memcaslap side by side, "allocations ..." samples what a
// running .NET process allocates; anything else goes to BenchmarkDotNet (e.g. --filter *Get*).
if (args is ["throughput", .. var rest])
{
    return await ThroughputProgram.RunAsync(ThroughputSettings.Parse(rest));
}

if (args is ["compare", .. var compareArgs])
{
    return await CompareProgram.RunAsync(CompareSettings.Parse(compareArgs));
}

if (args is ["allocations", .. var allocationArgs])
{
    return await AllocationProgram.RunAsync(AllocationSettings.Parse(allocationArgs));
}

BenchmarkSwitcher.FromAssembly(typeof(ThroughputProgram).Assembly).Run(args);
return 0;
