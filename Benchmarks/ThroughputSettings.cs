using System.Globalization;

namespace DualCache.Benchmarks;

/// <summary>The load program's knobs: <c>--callers 32 --seconds 10 --operation get|set|mixed --value-size 100 --connections 2 --server host:port</c>.</summary>
public sealed record ThroughputSettings(int Callers, TimeSpan Duration, string Operation, int ValueSize, int Connections, string? Server, bool Inline = false)
{
    public static ThroughputSettings Parse(IReadOnlyList<string> args)
    {
        var settings = new ThroughputSettings(32, TimeSpan.FromSeconds(10), "get", 100, 2, null);
        for (var i = 0; i + 1 < args.Count; i += 2)
        {
            var value = args[i + 1];
            settings = args[i] switch
            {
                "--callers" => settings with { Callers = int.Parse(value, CultureInfo.InvariantCulture) },
                "--seconds" => settings with { Duration = TimeSpan.FromSeconds(Math.Min(double.Parse(value, CultureInfo.InvariantCulture), 120)) },
                "--operation" => settings with { Operation = value },
                "--value-size" => settings with { ValueSize = int.Parse(value, CultureInfo.InvariantCulture) },
                "--connections" => settings with { Connections = int.Parse(value, CultureInfo.InvariantCulture) },
                "--server" => settings with { Server = value },
                "--inline" => settings with { Inline = value == "1" },
                _ => throw new ArgumentException($"Unknown option {args[i]}."),
            };
        }

        return settings;
    }
}
