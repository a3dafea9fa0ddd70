using DualCache.WebApp.Caching;

namespace DualCache.WebApp.Models;

/// <summary>Where a page's data came from, shown on the page.</summary>
/// <param name="DatabaseQueries">Queries this app instance has sent to the database since it started.</param>
public sealed record ReadInfo(DataSource Source, TimeSpan Elapsed, bool CacheUnavailable, long DatabaseQueries)
{
    public static ReadInfo Of<T>(CacheRead<T> read, long databaseQueries) =>
        new(read.Source, read.Elapsed, read.CacheUnavailable, databaseQueries);
}
