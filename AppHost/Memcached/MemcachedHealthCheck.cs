using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DualCache.AppHost.Memcached;

/// <summary>
/// Healthy when memcached answers <c>version</c>: the round trip the web app's own health check makes, sent with the
/// same client library. The dashboard shows the result, <c>WaitFor</c> waits for it, and the commands need it.
/// </summary>
internal sealed class MemcachedHealthCheck(IMemcachedResource resource, MemcachedResourceClients clients) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (clients.For(resource) is not { } client)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"The address of '{resource.Name}' is not known yet.");
        }

        var versions = await client.GetVersionsAsync(cancellationToken);
        return versions.FirstOrDefault(v => v.Error is not null) is { } failed
            ? new HealthCheckResult(context.Registration.FailureStatus, $"memcached on {failed.EndPoint} did not answer 'version': {failed.Error!.Message}", failed.Error)
            : HealthCheckResult.Healthy($"memcached {versions[0].Version} answered 'version'.");
    }
}
