using Microsoft.Extensions.Options;

namespace DualCache.WebApp.Caches;

/// <summary>
/// The recent counters of each role, as the caches page read them. Samples are taken when the page (or its refresh)
/// reads <c>stats</c> anyway, never in the background: nobody watching costs nothing, and no <c>stats</c> round trip
/// lands among the operations a visitor's page view makes. The history is bounded by time and count.
/// </summary>
public sealed class CacheActivity(IOptions<CachesPageOptions> options)
{
    /// <summary>Two tabs refreshing at once add one sample, not two half a millisecond apart.</summary>
    private static readonly TimeSpan MinimumSpacing = TimeSpan.FromSeconds(1);

    private const int MaximumSamples = 600;

    private readonly Dictionary<string, Queue<RoleSample>> _samples = [];

    /// <summary>Adds a sample (unless the last is under a second old) and returns the role's history, oldest first.</summary>
    public IReadOnlyList<RoleSample> Record(string role, RoleSample sample)
    {
        lock (_samples)
        {
            if (!_samples.TryGetValue(role, out var history))
            {
                _samples[role] = history = new Queue<RoleSample>();
            }

            if (history.Count == 0 || sample.At - history.Last().At >= MinimumSpacing)
            {
                history.Enqueue(sample);
            }

            while (history.Count > MaximumSamples || sample.At - history.Peek().At > options.Value.History)
            {
                history.Dequeue();
            }

            return [.. history];
        }
    }
}
