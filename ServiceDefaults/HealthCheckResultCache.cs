using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace DualCache.ServiceDefaults;

/// <summary>
/// Each health check's latest run, shared by every probe that arrives while it runs or within
/// <see cref="HealthCheckCacheOptions.ResultCacheDuration"/> after it started. Without it, every <c>/health</c> hit is a
/// round trip to every memcached server and a database read, so whoever can reach the endpoint can load them.
/// </summary>
public sealed class HealthCheckResultCache(TimeProvider time, IOptions<HealthCheckCacheOptions> options)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Run> _runs = [];

    /// <summary>The result of <paramref name="check"/>'s run under <paramref name="name"/> if it is recent, else of a new run.</summary>
    /// <param name="name">The check's registration name.</param>
    /// <param name="check">Runs the check. Not cancelled when a probe gives up, since other probes may share the run.</param>
    /// <param name="cancellationToken">This probe's own wait.</param>
    public Task<HealthCheckResult> GetOrRunAsync(string name, Func<Task<HealthCheckResult>> check, CancellationToken cancellationToken)
    {
        var duration = options.Value.ResultCacheDuration;
        if (duration <= TimeSpan.Zero)
        {
            return check().WaitAsync(cancellationToken);
        }

        Run run;
        lock (_gate)
        {
            if (!_runs.TryGetValue(name, out run!) || run.IsOver(time, duration))
            {
                run = new Run(time.GetTimestamp(), new Lazy<Task<HealthCheckResult>>(check));
                _runs[name] = run;
            }
        }

        return run.Result.Value.WaitAsync(cancellationToken);
    }

    private sealed record Run(long StartedAt, Lazy<Task<HealthCheckResult>> Result)
    {
        /// <summary>Finished and older than the window; a run still going is shared, however long it takes.</summary>
        public bool IsOver(TimeProvider time, TimeSpan duration) =>
            Result.IsValueCreated && Result.Value.IsCompleted && time.GetElapsedTime(StartedAt) >= duration;
    }
}
