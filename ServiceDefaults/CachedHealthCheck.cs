using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DualCache.ServiceDefaults;

/// <summary>A registered health check whose runs go through <see cref="HealthCheckResultCache"/>.</summary>
/// <remarks>
/// The check is created in a scope of its own: the run may outlive the probe that started it (other probes share it),
/// and that probe's scope.
/// </remarks>
public sealed class CachedHealthCheck(
    string name, Func<IServiceProvider, IHealthCheck> create, IServiceScopeFactory scopes, HealthCheckResultCache cache) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        cache.GetOrRunAsync(name, async () =>
        {
            await using var scope = scopes.CreateAsyncScope();
            return await create(scope.ServiceProvider).CheckHealthAsync(context, CancellationToken.None);
        }, cancellationToken);
}
