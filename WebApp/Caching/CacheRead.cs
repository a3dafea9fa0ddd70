namespace DualCache.WebApp.Caching;

/// <summary>A value read through the object cache, with where it came from and how long that took.</summary>
/// <param name="CacheUnavailable">The object cache could not be reached, so the value came from the database.</param>
public sealed record CacheRead<T>(T Value, DataSource Source, TimeSpan Elapsed, bool CacheUnavailable)
{
    public CacheRead<TResult> Map<TResult>(Func<T, TResult> map) => new(map(Value), Source, Elapsed, CacheUnavailable);
}

public enum DataSource
{
    Cache,
    Database,
}
