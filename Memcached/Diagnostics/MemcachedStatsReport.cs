using System.Globalization;
using System.Text;

namespace DualCache.Memcached;

/// <summary>
/// Turns a role's <c>stats</c> into text a person reads: the AppHost's "Show stats" command prints it, and the caches
/// page can show it too. One block per server, in configuration order; a server that did not answer shows its error.
/// </summary>
public static class MemcachedStatsReport
{
    private const int LabelWidth = 13;

    public static string Format(string roleName, IReadOnlyList<MemcachedServerStats> stats)
    {
        ArgumentException.ThrowIfNullOrEmpty(roleName);
        ArgumentNullException.ThrowIfNull(stats);

        var text = new StringBuilder();
        var answering = stats.Count(s => s.IsAvailable);
        text.Append(CultureInfo.InvariantCulture, $"memcached '{roleName}': {Servers(stats.Count)}, {answering} answering");
        text.AppendLine();

        foreach (var server in stats)
        {
            text.AppendLine();
            text.AppendLine(server.EndPoint.ToString());
            if (server.Error is { } error)
            {
                Line(text, "error", error.Message);
                continue;
            }

            Line(text, "version", server.Version ?? "unknown");
            Line(text, "uptime", Duration(server.Uptime));
            Line(text, "items", Count(server.CurrentItems));
            Line(text, "memory", Memory(server.BytesUsed, server.MemoryLimit));
            Line(text, "hit ratio", HitRatio(server));
            Line(text, "evictions", Count(server.Evictions));
            Line(text, "connections", Count(server.CurrentConnections));
        }

        return text.ToString();
    }

    private static void Line(StringBuilder text, string label, string value) =>
        text.Append("  ").Append(label.PadRight(LabelWidth)).AppendLine(value);

    private static string Servers(int count) => count == 1 ? "1 server" : $"{Count(count)} servers";

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Percent(double ratio) => (ratio * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    private static string Memory(long used, long limit) =>
        limit > 0
            ? $"{Bytes(used)} of {Bytes(limit)} ({Percent((double)used / limit)})"
            : $"{Bytes(used)} (no limit reported)";

    private static string HitRatio(MemcachedServerStats server) =>
        server.HitRatio is { } ratio
            ? $"{Percent(ratio)} ({Count(server.Hits)} hits, {Count(server.Misses)} misses)"
            : "no reads yet";

    /// <summary>Binary units, as memcached's <c>-m</c> counts megabytes of 1,048,576 bytes.</summary>
    private static string Bytes(long bytes)
    {
        string[] units = ["KiB", "MiB", "GiB", "TiB"];
        if (bytes < 1024)
        {
            return $"{Count(bytes)} B";
        }

        var value = (double)bytes;
        var unit = -1;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return value.ToString("0.0", CultureInfo.InvariantCulture) + " " + units[unit];
    }

    private static string Duration(TimeSpan uptime) => uptime switch
    {
        { TotalDays: >= 1 } => string.Create(CultureInfo.InvariantCulture, $"{(int)uptime.TotalDays}d {uptime.Hours}h {uptime.Minutes}m"),
        { TotalHours: >= 1 } => string.Create(CultureInfo.InvariantCulture, $"{uptime.Hours}h {uptime.Minutes}m"),
        { TotalMinutes: >= 1 } => string.Create(CultureInfo.InvariantCulture, $"{uptime.Minutes}m {uptime.Seconds}s"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{uptime.Seconds}s"),
    };
}
