namespace DualCache.AppHost.Memcached;

/// <summary>
/// A container image reference split the way Aspire takes it: <c>registry/image:tag</c>. The default is the official
/// image; a machine that reaches no registry builds its own (<c>AppHost/memcached-image/build.sh</c>) and names it here.
/// </summary>
/// <param name="Registry">The registry host, or <see langword="null"/> for the container runtime's default.</param>
public sealed record MemcachedContainerImage(string? Registry, string Image, string Tag)
{
    /// <summary>The official image's 1.6 line: meta commands (<c>mg</c>, <c>ms</c>, ...) need 1.6.</summary>
    public static MemcachedContainerImage Official { get; } = new("docker.io", "library/memcached", "1.6");

    /// <summary>Reads <c>[registry/]image[:tag]</c>; the tag defaults to <c>latest</c>, as the container runtimes do.</summary>
    public static bool TryParse(string? reference, out MemcachedContainerImage image)
    {
        image = Official;
        if (string.IsNullOrWhiteSpace(reference) || reference.Any(char.IsWhiteSpace) || reference.Contains('@', StringComparison.Ordinal))
        {
            return false;
        }

        var lastSlash = reference.LastIndexOf('/');
        var colon = reference.LastIndexOf(':');
        var (name, tag) = colon > lastSlash ? (reference[..colon], reference[(colon + 1)..]) : (reference, "latest");

        // Like Docker: the first path segment is a registry only when it looks like a host (a dot, a port, or localhost).
        var firstSlash = name.IndexOf('/', StringComparison.Ordinal);
        string? registry = null;
        if (firstSlash > 0 && name[..firstSlash] is var first && (first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost"))
        {
            registry = first;
            name = name[(firstSlash + 1)..];
        }

        if (name.Length == 0 || tag.Length == 0 || name.StartsWith('/') || name.EndsWith('/'))
        {
            return false;
        }

        image = new MemcachedContainerImage(registry, name, tag);
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => Registry is null ? $"{Image}:{Tag}" : $"{Registry}/{Image}:{Tag}";
}
