namespace DualCache.WebApp.Sessions;

/// <summary>How often the session store's eviction counter is read (<c>SessionEvictions:CheckInterval</c>).</summary>
public sealed class SessionEvictionMonitorOptions
{
    public const string SectionName = "SessionEvictions";

    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(30);
}
