namespace DualCache.ServiceDefaults;

/// <summary>How long <c>/health</c> answers from its last result: the <c>HealthChecks</c> section.</summary>
public sealed class HealthCheckCacheOptions
{
    public const string SectionName = "HealthChecks";

    /// <summary>
    /// Probes within this long of a check's last run get that run's result; zero runs every check for every probe.
    /// Short, so that a server that goes down or comes back shows within seconds.
    /// </summary>
    public TimeSpan ResultCacheDuration { get; set; } = TimeSpan.FromSeconds(2);
}
