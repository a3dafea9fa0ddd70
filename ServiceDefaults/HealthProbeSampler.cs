using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Trace;

namespace DualCache.ServiceDefaults;

/// <summary>
/// Drops the traces of health probes (<c>/health</c>, <c>/alive</c>), which the AppHost and load balancers send over and
/// over and which would otherwise bury the traces of real requests. ASP.NET Core sets <c>url.path</c> when it creates the request
/// activity, so the decision is made before anything is recorded; everything else goes to <paramref name="inner"/>.
/// </summary>
internal sealed class HealthProbeSampler(Sampler inner) : Sampler
{
    private static readonly SamplingResult Drop = new(SamplingDecision.Drop);

    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters)
    {
        if (samplingParameters.Kind == ActivityKind.Server && samplingParameters.Tags is { } tags)
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "url.path" && tag.Value is string path && HealthCheckExtensions.IsHealthProbe(path))
                {
                    return Drop;
                }
            }
        }

        return inner.ShouldSample(samplingParameters);
    }
}
