using DualCache.ServiceDefaults;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace DualCache.Tests.Unit;

public sealed class HealthCheckResultCacheTests
{
    private readonly FakeTimeProvider _time = new();
    private int _runs;

    [Fact]
    public async Task Probes_within_the_window_get_the_last_result_and_the_first_probe_after_it_runs_the_check_again()
    {
        var cache = Cache(TimeSpan.FromSeconds(2));

        for (var probe = 0; probe < 10; probe++)
        {
            Assert.Equal(HealthStatus.Healthy, (await cache.GetOrRunAsync("memcached-cache", CountedCheck, CancellationToken.None)).Status);
            _time.Advance(TimeSpan.FromMilliseconds(100));
        }

        Assert.Equal(1, _runs);
        _time.Advance(TimeSpan.FromSeconds(1));
        await cache.GetOrRunAsync("memcached-cache", CountedCheck, CancellationToken.None);
        Assert.Equal(2, _runs);
    }

    [Fact]
    public async Task Probes_that_arrive_while_a_check_runs_share_that_run()
    {
        var cache = Cache(TimeSpan.FromSeconds(2));
        var answer = new TaskCompletionSource<HealthCheckResult>();
        Task<HealthCheckResult> SlowCheck()
        {
            Interlocked.Increment(ref _runs);
            return answer.Task;
        }

        var probes = Enumerable.Range(0, 20).Select(_ => cache.GetOrRunAsync("memcached-sessions", SlowCheck, CancellationToken.None)).ToList();
        _time.Advance(TimeSpan.FromSeconds(10));
        probes.Add(cache.GetOrRunAsync("memcached-sessions", SlowCheck, CancellationToken.None));
        answer.SetResult(HealthCheckResult.Degraded());

        Assert.All(await Task.WhenAll(probes), result => Assert.Equal(HealthStatus.Degraded, result.Status));
        Assert.Equal(1, _runs);
    }

    [Fact]
    public async Task Each_check_has_a_result_of_its_own()
    {
        var cache = Cache(TimeSpan.FromSeconds(2));

        await cache.GetOrRunAsync("memcached-cache", CountedCheck, CancellationToken.None);
        await cache.GetOrRunAsync("memcached-sessions", CountedCheck, CancellationToken.None);

        Assert.Equal(2, _runs);
    }

    [Fact]
    public async Task A_window_of_zero_runs_the_check_for_every_probe()
    {
        var cache = Cache(TimeSpan.Zero);

        for (var probe = 0; probe < 3; probe++)
        {
            await cache.GetOrRunAsync("memcached-cache", CountedCheck, CancellationToken.None);
        }

        Assert.Equal(3, _runs);
    }

    private HealthCheckResultCache Cache(TimeSpan window) =>
        new(_time, Options.Create(new HealthCheckCacheOptions { ResultCacheDuration = window }));

    private Task<HealthCheckResult> CountedCheck()
    {
        Interlocked.Increment(ref _runs);
        return Task.FromResult(HealthCheckResult.Healthy());
    }
}
