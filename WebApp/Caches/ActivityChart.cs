using System.Globalization;

namespace DualCache.WebApp.Caches;

/// <summary>
/// Hits and misses per second over the page's history, as SVG polyline points, drawn on the server: the page needs no
/// chart library and no inline script or style.
/// </summary>
public sealed record ActivityChart(string HitPoints, string MissPoints, double PeakPerSecond, TimeSpan Window)
{
    public const int Width = 320;
    public const int Height = 90;

    public bool HasData => HitPoints.Length > 0;

    public static ActivityChart Of(IReadOnlyList<RoleSample> samples, DateTimeOffset now, TimeSpan window)
    {
        var rates = samples.Zip(samples.Skip(1), (before, after) =>
        {
            var seconds = (after.At - before.At).TotalSeconds;

            // A restarted server counts from zero again: no negative rates.
            return (after.At, Hits: Math.Max(0, after.Hits - before.Hits) / seconds, Misses: Math.Max(0, after.Misses - before.Misses) / seconds);
        }).ToList();
        if (rates.Count == 0)
        {
            return new ActivityChart("", "", 0, window);
        }

        var peak = Math.Max(1, rates.Max(rate => Math.Max(rate.Hits, rate.Misses)));
        string Points(Func<(DateTimeOffset At, double Hits, double Misses), double> value) => string.Join(' ', rates.Select(rate =>
        {
            var x = Width * (1 - Math.Clamp((now - rate.At) / window, 0, 1));
            var y = Height - (value(rate) / peak * (Height - 4));
            return string.Create(CultureInfo.InvariantCulture, $"{x:0.#},{y:0.#}");
        }));

        return new ActivityChart(Points(rate => rate.Hits), Points(rate => rate.Misses), peak, window);
    }
}
