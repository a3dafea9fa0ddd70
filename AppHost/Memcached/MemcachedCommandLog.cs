using Microsoft.Extensions.Logging;

namespace DualCache.AppHost.Memcached;

/// <summary>What the dashboard commands write to a resource's console log.</summary>
internal static partial class MemcachedCommandLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Flushed every item from '{Role}' (flush_all).")]
    public static partial void Flushed(this ILogger logger, string role);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "{Report}")]
    public static partial void Stats(this ILogger logger, string report);
}
