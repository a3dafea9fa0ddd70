using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace DualCache.Memcached;

/// <summary>A memcached server address. The host is kept as written so that it is resolved again on every reconnect.</summary>
public sealed record MemcachedEndPoint(string Host, int Port)
{
    public const int DefaultPort = 11211;

    public override string ToString() => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";

    /// <summary>Parses <c>host:port</c>, <c>[ipv6]:port</c>, or a bare host (port 11211).</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out MemcachedEndPoint? endPoint)
    {
        endPoint = null;
        text = text?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        string host;
        string? portText = null;
        if (text[0] == '[')
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 2)
            {
                return false;
            }

            host = text[1..close];
            var rest = text[(close + 1)..];
            if (rest.Length > 0)
            {
                if (rest[0] != ':')
                {
                    return false;
                }

                portText = rest[1..];
            }
        }
        else
        {
            var colon = text.LastIndexOf(':');
            if (colon >= 0 && text.IndexOf(':', StringComparison.Ordinal) != colon)
            {
                return false; // an IPv6 address must be bracketed to carry a port
            }

            host = colon >= 0 ? text[..colon] : text;
            portText = colon >= 0 ? text[(colon + 1)..] : null;
        }

        if (host.Length == 0 || host.Any(c => char.IsWhiteSpace(c) || c is '/' or ',' or '[' or ']'))
        {
            return false;
        }

        var port = DefaultPort;
        if (portText is not null &&
            (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535))
        {
            return false;
        }

        endPoint = new MemcachedEndPoint(host, port);
        return true;
    }

    /// <summary>Parses a role's connection string, <c>host:port[,host:port...]</c>; on failure names the piece that is wrong.</summary>
    public static bool TryParseList(string? text, out IReadOnlyList<MemcachedEndPoint> endPoints, [NotNullWhen(false)] out string? error)
    {
        var parsed = new List<MemcachedEndPoint>();
        endPoints = parsed;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "is empty; expected host:port[,host:port...]";
            return false;
        }

        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!TryParse(part, out var endPoint))
            {
                error = $"has '{part}', which is not host:port (port 1-65535); expected host:port[,host:port...]";
                return false;
            }

            if (parsed.Contains(endPoint))
            {
                error = $"lists '{part}' twice";
                return false;
            }

            parsed.Add(endPoint);
        }

        error = null;
        return true;
    }
}
