namespace DualCache.WebApp.Caching;

/// <summary>Settings of the object cache (<c>ObjectCache:...</c>).</summary>
public sealed class ObjectCacheOptions
{
    public const string SectionName = "ObjectCache";

    /// <summary>
    /// How long a read of the object cache and its load from the database may take. Past it the readers waiting for
    /// that load get a <see cref="TimeoutException"/> and the key is free again, so one stuck query cannot hold up every
    /// later reader of the key.
    /// </summary>
    public TimeSpan LoadTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
