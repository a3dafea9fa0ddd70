namespace DualCache.WebApp.Caches;

/// <summary>How the caches page refreshes and how much history it charts (<c>CachesPage</c>).</summary>
public sealed class CachesPageOptions
{
    public const string SectionName = "CachesPage";

    /// <summary>How often an open caches page asks for fresh figures.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How old a <c>stats</c> reading may be when another viewer's page asks: at most one read per role per this.</summary>
    public TimeSpan StatsMaxAge { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How far back the hits-and-misses chart reaches.</summary>
    public TimeSpan History { get; set; } = TimeSpan.FromMinutes(5);
}
