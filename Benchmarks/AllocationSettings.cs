using System.CommandLine;

namespace DualCache.Benchmarks;

/// <summary>The allocation sampler's knobs: <c>--pid N --seconds 8 --top 40</c>.</summary>
public sealed record AllocationSettings(int ProcessId, TimeSpan Duration, int Top)
{
    public static Command Command()
    {
        var pid = CommandOptions.Whole("--pid", null, 1, int.MaxValue, "The running .NET process to sample.");
        pid.Required = true;
        var seconds = CommandOptions.Number("--seconds", 8, 1, 120, "How long to sample.");
        var top = CommandOptions.Whole("--top", 40, 1, int.MaxValue, "How many types to print, most allocated first.");

        var command = new Command("allocations", "Bytes a running .NET process allocates, in all and by type, from the runtime's own sampling.")
        {
            pid, seconds, top,
        };
        command.SetAction(result => AllocationProgram.RunAsync(new AllocationSettings(
            result.GetValue(pid),
            TimeSpan.FromSeconds(result.GetValue(seconds)),
            result.GetValue(top))));
        return command;
    }
}
