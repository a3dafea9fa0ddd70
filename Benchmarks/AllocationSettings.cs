using System.Globalization;

namespace DualCache.Benchmarks;

/// <summary>The allocation sampler's knobs: <c>--pid N --seconds 8 --top 40</c>.</summary>
public sealed record AllocationSettings(int ProcessId, TimeSpan Duration, int Top)
{
    public static AllocationSettings Parse(IReadOnlyList<string> args)
    {
        var settings = new AllocationSettings(0, TimeSpan.FromSeconds(8), 40);
        for (var i = 0; i < args.Count; i += 2)
        {
            if (i + 1 == args.Count)
            {
                throw new ArgumentException($"{args[i]} needs a value.");
            }

            var value = args[i + 1];
            settings = args[i] switch
            {
                "--pid" => settings with { ProcessId = int.Parse(value, CultureInfo.InvariantCulture) },
                "--seconds" => settings with { Duration = TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture)) },
                "--top" => settings with { Top = int.Parse(value, CultureInfo.InvariantCulture) },
                _ => throw new ArgumentException($"Unknown option {args[i]}."),
            };
        }

        return settings switch
        {
            { ProcessId: <= 0 } => throw new ArgumentException("--pid is required: the .NET process to sample."),
            { Duration.TotalSeconds: < 1 or > 120 } => throw new ArgumentException("--seconds must be from 1 to 120."),
            { Top: <= 0 } => throw new ArgumentException("--top must be at least 1."),
            _ => settings,
        };
    }
}
