using System.Net;
using Microsoft.Extensions.Options;

namespace DualCache.WebApp.Security;

/// <summary>Fails the start on an address or network that does not parse, naming the setting and the value.</summary>
public sealed class ReverseProxyOptionsValidator : IValidateOptions<ReverseProxyOptions>
{
    public ValidateOptionsResult Validate(string? name, ReverseProxyOptions options)
    {
        var failures = options.KnownProxies
            .Where(proxy => !IPAddress.TryParse(proxy, out _))
            .Select(proxy => $"{ReverseProxyOptions.SectionName}:{nameof(options.KnownProxies)} has '{proxy}', which is not an IP address.")
            .Concat(options.KnownNetworks
                .Where(network => !IPNetwork.TryParse(network, out _))
                .Select(network => $"{ReverseProxyOptions.SectionName}:{nameof(options.KnownNetworks)} has '{network}', which is not a network in CIDR notation (10.0.0.0/8)."))
            .ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
