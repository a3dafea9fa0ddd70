using Microsoft.Extensions.Configuration;
using DualCache.AppHost.Memcached;

namespace DualCache.AppHost;

/// <summary>
/// The AppHost's own settings (section <c>DualCache</c>), read and checked once at start; a bad value stops the
/// AppHost with a message naming the setting.
/// </summary>
/// <param name="Mode">How memcached runs, resolved: never <see cref="MemcachedMode.Auto"/>.</param>
/// <param name="ModeReason">Why, for the log: what the container runtime said.</param>
/// <param name="Image">The memcached image (<c>DualCache:MemcachedImage</c>).</param>
/// <param name="SessionsLifetime">
/// <c>DualCache:SessionsLifetime</c>: <see cref="ContainerLifetime.Persistent"/> by default, so that restarting the
/// AppHost signs nobody out; tests use <see cref="ContainerLifetime.Session"/> so they never touch a developer's container.
/// </param>
/// <param name="SessionsContainerName">
/// <c>DualCache:SessionsContainerName</c>: the persistent container's name; by default Aspire derives one from the
/// AppHost's path.
/// </param>
internal sealed record DualCacheSettings(
    MemcachedMode Mode,
    string ModeReason,
    MemcachedContainerImage Image,
    ContainerLifetime SessionsLifetime,
    string? SessionsContainerName)
{
    public const string Section = "DualCache";

    public static DualCacheSettings Read(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var mode = ParseEnum(section, "MemcachedMode", MemcachedMode.Auto);
        var lifetime = ParseEnum(section, "SessionsLifetime", ContainerLifetime.Persistent);

        var imageSetting = section["MemcachedImage"];
        if (!MemcachedContainerImage.TryParse(imageSetting, out var image) && !string.IsNullOrEmpty(imageSetting))
        {
            throw new DistributedApplicationException(
                $"{Section}:MemcachedImage has '{imageSetting}', which is not an image reference such as 'docker.io/library/memcached:1.6'.");
        }

        var reason = mode switch
        {
            MemcachedMode.Container => $"{Section}:MemcachedMode is Container",
            MemcachedMode.Executable => $"{Section}:MemcachedMode is Executable",
            _ => "",
        };
        if (mode == MemcachedMode.Auto)
        {
            (mode, reason) = ChooseMode(configuration, image);
        }

        return new DualCacheSettings(mode, reason, image, lifetime, section["SessionsContainerName"] is { Length: > 0 } name ? name : null);
    }

    /// <summary>Containers when the engine answers and has the image (or can pull it); else processes, saying why.</summary>
    private static (MemcachedMode Mode, string Reason) ChooseMode(IConfiguration configuration, MemcachedContainerImage image)
    {
        var (answers, engine) = ContainerRuntime.Probe(configuration);
        if (!answers)
        {
            return (MemcachedMode.Executable, $"no container runtime answered ({engine})");
        }

        var (present, detail) = ContainerRuntime.EnsureImage(configuration, image.ToString());
        return present
            ? (MemcachedMode.Container, $"a container runtime answered ({engine})")
            : (MemcachedMode.Executable, $"a container runtime answered ({engine}) but {detail}");
    }

    private static T ParseEnum<T>(IConfigurationSection section, string key, T defaultValue)
        where T : struct, Enum
    {
        var value = section[key];
        if (string.IsNullOrEmpty(value))
        {
            return defaultValue;
        }

        return Enum.TryParse<T>(value, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
            ? parsed
            : throw new DistributedApplicationException(
                $"{section.Path}:{key} has '{value}'; use one of {string.Join(", ", Enum.GetNames<T>())}.");
    }
}
