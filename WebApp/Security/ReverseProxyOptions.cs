namespace DualCache.WebApp.Security;

/// <summary>
/// The reverse proxies (load balancers, TLS terminators) whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c>
/// the app believes: the <c>ReverseProxy</c> section. Empty by default, so that no visitor can claim another
/// address or scheme by sending the headers itself.
/// </summary>
public sealed class ReverseProxyOptions
{
    public const string SectionName = "ReverseProxy";

    /// <summary>The proxies' own addresses, for example <c>10.0.0.5</c>.</summary>
    public IList<string> KnownProxies { get; } = [];

    /// <summary>Networks of proxies in CIDR notation, for example <c>10.0.0.0/8</c>.</summary>
    public IList<string> KnownNetworks { get; } = [];

    public bool IsEnabled => KnownProxies.Count > 0 || KnownNetworks.Count > 0;
}
