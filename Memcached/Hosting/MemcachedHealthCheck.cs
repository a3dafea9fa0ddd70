using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DualCache.Memcached;

/// <summary>A <c>version</c> round trip to every server of a role.</summary>
internal sealed class MemcachedHealthCheck(IMemcachedClient client, HealthStatus failureStatus) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var versions = await client.GetVersionsAsync(cancellationToken);
        var data = versions.ToDictionary(v => v.EndPoint.ToString(), v => (object)(v.Version ?? v.Error?.Message ?? ""));
        var down = versions.Where(v => v.Error is not null).ToList();
        return down.Count == 0
            ? HealthCheckResult.Healthy($"All {versions.Count} '{client.Name}' server(s) answered.", data)
            : new HealthCheckResult(
                failureStatus,
                $"{down.Count} of {versions.Count} '{client.Name}' server(s) did not answer: {string.Join(", ", down.Select(v => v.EndPoint))}.",
                down[0].Error,
                data);
    }
}
