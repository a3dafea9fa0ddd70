using System.Net;
using DualCache.WebApp.Security;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>Cookies, response headers and the reverse proxy: what a browser and a proxy are told to trust.</summary>
public static class SecurityExtensions
{
    public static void AddWebSecurity(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.Configure<CookiePolicyOptions>(policy => CookieHardening.Configure(policy, builder.Environment));

        services.AddOptions<ReverseProxyOptions>()
            .BindConfiguration(ReverseProxyOptions.SectionName)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ReverseProxyOptions>, ReverseProxyOptionsValidator>();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ReverseProxyOptions>>((forwarded, proxies) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;

            // Only the configured proxies, not the framework's default loopback: a proxy on the same host is named.
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var proxy in proxies.Value.KnownProxies)
            {
                forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var network in proxies.Value.KnownNetworks)
            {
                forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }

            // Every hop is read from the right while it comes from a known proxy, and the first address that does not
            // is the client: addresses a client wrote into the header itself sit further left and are never reached.
            forwarded.ForwardLimit = null;
        });
    }

    /// <summary>First in the pipeline: the scheme and client address everything after it sees, and the cookies and headers it writes.</summary>
    public static void UseWebSecurity(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<ReverseProxyOptions>>().Value.IsEnabled)
        {
            app.UseForwardedHeaders();
        }

        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseCookiePolicy();
    }
}
