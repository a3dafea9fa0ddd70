using OpenTelemetry.Resources;

namespace DualCache.ServiceDefaults;

internal static class ServiceResource
{
    /// <summary>
    /// Names the service. No instance id is generated: the AppHost passes <c>service.instance.id</c> in
    /// <c>OTEL_RESOURCE_ATTRIBUTES</c> (read by the default resource), and the dashboard matches telemetry to its
    /// resource by it; a generated id would replace it.
    /// </summary>
    public static ResourceBuilder AddTelemetryService(this ResourceBuilder resource, string serviceName) =>
        resource.AddService(serviceName, autoGenerateServiceInstanceId: false);
}
