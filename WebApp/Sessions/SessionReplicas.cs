using DualCache.Memcached;
using DualCache.WebApp.Caching;

namespace DualCache.WebApp.Sessions;

/// <summary>
/// The <c>sessions</c> role keeps every ticket and cart on two servers whenever it has two or more, so that losing
/// one server signs nobody out. <c>Memcached:sessions:Replicas</c> overrides it (1 turns replication off).
/// </summary>
public static class SessionReplicas
{
    public const int Default = 2;

    /// <summary>Applies the default unless the setting is given; with one server the client keeps one copy anyway.</summary>
    public static Action<MemcachedClientOptions> DefaultUnlessConfigured(IConfiguration configuration) => options =>
    {
        if (configuration[$"Memcached:{CacheRoles.Sessions}:{nameof(MemcachedClientOptions.Replicas)}"] is null)
        {
            options.Replicas = Default;
        }
    };
}
