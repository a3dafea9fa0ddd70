namespace DualCache.ServiceDefaults;

/// <summary>
/// The meters and activity sources exported. .NET and ASP.NET Core publish these themselves, so no instrumentation
/// packages are needed; <c>DualCache.Memcached</c> is the client library's, tagged by role (<c>memcached.client</c>).
/// </summary>
internal static class TelemetrySubscriptions
{
    public const string MemcachedSourceName = "DualCache.Memcached";

    public static readonly string[] Meters =
    [
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "System.Net.Http",
        "System.Runtime",
        MemcachedSourceName,
    ];

    public static readonly string[] ActivitySources =
    [
        "Microsoft.AspNetCore",
        "System.Net.Http",
        MemcachedSourceName,
    ];
}
