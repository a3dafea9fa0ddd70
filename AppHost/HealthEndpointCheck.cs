using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DualCache.AppHost;

/// <summary>
/// Reads a project's <c>/health</c> answer as ASP.NET Core writes it ("Healthy", "Degraded" or "Unhealthy"), so that
/// the dashboard shows a web app that serves pages without its object cache as Degraded rather than Healthy: an HTTP
/// check sees only the status code, and ASP.NET Core answers 200 for Degraded.
/// </summary>
internal sealed class HealthEndpointCheck(EndpointReference endpoint, string path) : IHealthCheck
{
    private static readonly HttpClient s_http = new() { Timeout = TimeSpan.FromSeconds(5) };

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!endpoint.IsAllocated)
        {
            return HealthCheckResult.Unhealthy($"{endpoint.Resource.Name} has no address yet.");
        }

        var url = new Uri(new Uri(endpoint.Url), path);
        try
        {
            using var response = await s_http.GetAsync(url, cancellationToken);
            var body = (await response.Content.ReadAsStringAsync(cancellationToken)).Trim();
            return Enum.TryParse<HealthStatus>(body, out var status) && Enum.IsDefined(status)
                ? new HealthCheckResult(status, $"{url} answered {(int)response.StatusCode} {body}.")
                : HealthCheckResult.Unhealthy($"{url} answered {(int)response.StatusCode} with no health status.");
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"{url} did not answer.", exception);
        }
    }
}
