using System.Globalization;

namespace DualCache.Benchmarks;

/// <summary>The allocation sampler's knobs: <c>--pid N --seconds 8 --top 40</c>.</summary>
public sealed record AllocationSettings(int ProcessId, TimeSpan Duration, int Top)
{
    public static AllocationSettings Parse(IReadOnlyList<string> args)
    {
        var settings = new AllocationSettings(0, TimeSpan.FromSeconds(8), 40);
        for (var i = 0; i + 1 < args.Count; i += 2)
        {
            var value = args[i + 1];
            settings = args[i] switch
            {
                "--pid" => settings with { ProcessId = int.Parse(value, CultureInfo.InvariantCulture) },
                "--seconds" => settings with { Duration = TimeSpan.FromSeconds(Math.Clamp(double.Parse(value, CultureInfo.InvariantCulture), 1, 120)) },
                "--top" => settings with { Top = int.Parse(value, CultureInfo.InvariantCulture) },
                _ => throw new ArgumentException($"Unknown option {args[i]}."),
            };
        }

        return settings.ProcessId > 0 ? settings : throw new ArgumentException("--pid is required: the .NET process to sample.");
    }
}
