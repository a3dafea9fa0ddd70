using DualCache.WebApp.Caches;

namespace Microsoft.Extensions.Hosting;

public static class CachesPageExtensions
{
    /// <summary>The caches page's recent history and last flushes, kept in memory by this app instance.</summary>
    public static void AddCachesPage(this IServiceCollection services)
    {
        services.AddSingleton<CacheActivity>();
        services.AddSingleton<FlushLog>();
        services.AddSingleton<SharedStatsReads>();
        services.AddOptions<CachesPageOptions>()
            .BindConfiguration(CachesPageOptions.SectionName)
            .Validate(options => options.RefreshInterval >= TimeSpan.FromSeconds(1), "CachesPage:RefreshInterval must be at least one second.")
            .Validate(options => options.History > TimeSpan.Zero, "CachesPage:History must be positive.")
            .Validate(options => options.StatsMaxAge >= TimeSpan.Zero, "CachesPage:StatsMaxAge must not be negative.")
            .ValidateOnStart();
    }
}
