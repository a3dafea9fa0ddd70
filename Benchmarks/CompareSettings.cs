using System.Globalization;
using DualCache.Memcached;

namespace DualCache.Benchmarks;

/// <summary>The side-by-side run's knobs: <c>--rounds 5 --seconds 10 --callers 32 --value-size 100 --threads 1 --connections 2 --inline 0</c>; <c>--inline 1</c> measures ours with <see cref="MemcachedClientOptions.UnsafePreferInlineScheduling"/>.</summary>
public sealed record CompareSettings(int Rounds, int Seconds, int Callers, int ValueSize, int ServerThreads, int Connections, bool Inline)
{
    public static CompareSettings Parse(IReadOnlyList<string> args)
    {
        var settings = new CompareSettings(5, 10, 32, 100, 1, new MemcachedClientOptions().ConnectionsPerServer, false);
        for (var i = 0; i + 1 < args.Count; i += 2)
        {
            var value = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            settings = args[i] switch
            {
                "--rounds" => settings with { Rounds = value },
                "--seconds" => settings with { Seconds = Math.Clamp(value, 3, 60) },
                "--callers" => settings with { Callers = value },
                "--value-size" => settings with { ValueSize = value },
                "--threads" => settings with { ServerThreads = value },
                "--connections" => settings with { Connections = value },
                "--inline" => settings with { Inline = value == 1 },
                _ => throw new ArgumentException($"Unknown option {args[i]}."),
            };
        }

        return settings;
    }
}
