using BenchmarkDotNet.Running;
using DualCache.Benchmarks;

// "throughput ..." runs the load program; anything else goes to BenchmarkDotNet (e.g. --filter *Get*).
if (args is ["throughput", .. var rest])
{
    return await ThroughputProgram.RunAsync(ThroughputSettings.Parse(rest));
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
