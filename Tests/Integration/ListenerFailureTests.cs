using System.Diagnostics;
using DualCache.Memcached;

namespace DualCache.Tests.Integration;

/// <summary>
/// Tracing and metrics listeners are the app's code, and they run where an operation finishes: often on the
/// connection's own thread. One that throws must fail only the callers whose operations it saw, never leave a caller
/// waiting, break the connection, or end the process.
/// </summary>
public sealed class ListenerFailureTests(MemcachedServerFixture memcached) : IClassFixture<MemcachedServerFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_throwing_span_listener_fails_its_callers_and_the_connection_serves_on(bool inline)
    {
        var role = $"listener-{Guid.NewGuid():N}";
        var broken = true;
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == MemcachedActivitySource.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = span =>
            {
                // Only this test's spans: other tests in the process use the same source.
                if (Volatile.Read(ref broken) && (string?)span.GetTagItem(MemcachedMetrics.ClientTag) == role)
                {
                    throw new InvalidOperationException("the listener broke");
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        await using var client = memcached.CreateClient(o => (o.UnsafePreferInlineScheduling, o.ConnectionsPerServer) = (inline, 1), name: role);

        // Many at once, so that answers and failures meet on the connection's thread in one batch.
        var failures = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Task.Run(async () =>
        {
            try
            {
                await client.GetAsync($"listener:{i}").AsTask().WaitAsync(Patience);
                return null;
            }
            catch (Exception exception)
            {
                return exception;
            }
        })));

        Assert.All(failures, failure => Assert.Equal("the listener broke", Assert.IsType<InvalidOperationException>(failure).Message));

        Volatile.Write(ref broken, false);
        await client.SetAsync("listener:after", "served"u8.ToArray()).AsTask().WaitAsync(Patience);
        Assert.Equal("served"u8.ToArray(), await client.GetAsync("listener:after").AsTask().WaitAsync(Patience));
    }
}
