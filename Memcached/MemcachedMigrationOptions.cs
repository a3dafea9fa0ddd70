namespace DualCache.Memcached;

/// <summary>
/// The store a role is moving away from (<c>Memcached:{name}:MigrateFrom</c>): a key the role's own servers miss is
/// read there and copied over with its remaining lifetime, so that moving a role to new servers loses nothing.
/// </summary>
public sealed class MemcachedMigrationOptions
{
    /// <summary><c>host:port[,host:port...]</c> of the old servers.</summary>
    public string? Servers { get; set; }

    /// <summary>The key prefix the old store was written with; the role's own <see cref="MemcachedClientOptions.KeyPrefix"/> when not set.</summary>
    public string? KeyPrefix { get; set; }
}
