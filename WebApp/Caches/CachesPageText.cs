using System.Globalization;

namespace DualCache.WebApp.Caches;

/// <summary>Sizes, bar widths and ages as the caches page writes them.</summary>
public static class CachesPageText
{
    public static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1048576 => (bytes / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " KiB",
        _ => (bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture) + " MiB",
    };

    /// <summary>A percentage for an SVG bar: a sliver stays visible at 2.6 KiB of 64 MiB, and the text beside it gives the true figure.</summary>
    public static string BarWidth(double used) =>
        (used <= 0 ? 0 : Math.Max(2, used * 100)).ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>The chart's window, as its caption says it: "5 minutes", "30 seconds".</summary>
    public static string Window(TimeSpan window) => window switch
    {
        { TotalSeconds: < 2 } => "second",
        { TotalSeconds: < 120 } => $"{(int)window.TotalSeconds} seconds",
        { TotalMinutes: < 120 } => $"{(int)window.TotalMinutes} minutes",
        _ => $"{(int)window.TotalHours} hours",
    };

    public static string Ago(DateTimeOffset at, DateTimeOffset now) => (now - at) switch
    {
        { TotalSeconds: < 60 } span => $"{Math.Max(0, (int)span.TotalSeconds)} s ago",
        { TotalMinutes: < 60 } span => $"{(int)span.TotalMinutes} min ago",
        var span => $"{(int)span.TotalHours} h ago",
    };
}
