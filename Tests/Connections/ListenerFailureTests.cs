using System.Diagnostics;
using System.Diagnostics.Metrics;
using DualCache.Memcached;

namespace DualCache.Tests.Connections;

/// <summary>
/// Tracing and metrics listeners are the app's code, and they run where an operation finishes: often on the
/// connection's own thread. One that throws must cost nobody an answer, a connection or the process.
/// </summary>
[Collection(ServerGaugeReaders.Name)]
public sealed class ListenerFailureTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData("span", false)]
    [InlineData("span", true)]
    [InlineData("metric", false)]
    [InlineData("metric", true)]
    public async Task A_throwing_listener_costs_no_caller_its_answer_and_the_connection_stays(string listening, bool inline)
    {
        var role = $"listener-{Guid.NewGuid():N}";
        await using var server = new ScriptedServer((_, line) => ConnectionResilienceTests.SettingsThen(line, ScriptedServer.Send($"VA 2{ScriptedServer.Echo(line)}\r\nok\r\n")));
        await using var client = Client(server, role, inline, TimeSpan.FromSeconds(5));
        using var broken = new BrokenListener(listening, role);

        // Many at once, so that several answers are handed out in one batch on the connection's thread.
        var answers = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Task.Run(() => client.GetAsync($"k{i}").AsTask().WaitAsync(Patience))));

        Assert.All(answers, answer => Assert.Equal("ok"u8.ToArray(), answer));
        Assert.True(broken.Thrown > 0);
        Assert.Equal(1, server.Connections);
    }

    [Fact]
    public async Task A_throwing_listener_on_a_connection_that_fails_leaves_each_caller_its_own_failure()
    {
        var role = $"listener-{Guid.NewGuid():N}";

        // Never answers a read: every one times out, and the connection's fault fails the rest through the listener.
        await using var server = new ScriptedServer((_, line) => ConnectionResilienceTests.SettingsThen(line, _ => Task.CompletedTask));
        await using var client = Client(server, role, inline: true, TimeSpan.FromMilliseconds(300));
        using var broken = new BrokenListener("span", role);

        var failures = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
            await Record.ExceptionAsync(() => client.GetAsync($"k{i}").AsTask().WaitAsync(Patience)))));

        Assert.All(failures, failure => Assert.IsType<MemcachedTimeoutException>(failure));
        Assert.True(broken.Thrown > 0);
    }

    private static MemcachedClient Client(ScriptedServer server, string role, bool inline, TimeSpan timeout) => new(role, new MemcachedClientOptions
    {
        Servers = server.ConnectionString,
        ConnectionsPerServer = 1,
        OperationTimeout = timeout,
        UnsafePreferInlineScheduling = inline,
    });

    /// <summary>Throws at every span end, or every measurement, of one role's operations: other tests share the source and the meter.</summary>
    private sealed class BrokenListener : IDisposable
    {
        private readonly IDisposable _listener;
        private int _thrown;

        public BrokenListener(string listening, string role)
        {
            if (listening == "span")
            {
                var spans = new ActivityListener
                {
                    ShouldListenTo = source => source.Name == MemcachedActivitySource.Name,
                    Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                    ActivityStopped = span => ThrowFor(role, span.GetTagItem(MemcachedMetrics.ClientTag)),
                };
                ActivitySource.AddActivityListener(spans);
                _listener = spans;
            }
            else
            {
                var metrics = new MeterListener
                {
                    InstrumentPublished = (instrument, listener) =>
                    {
                        if (instrument.Meter.Name == MemcachedMetrics.MeterName)
                        {
                            listener.EnableMeasurementEvents(instrument);
                        }
                    },
                };
                metrics.SetMeasurementEventCallback<long>((_, _, tags, _) => ThrowFor(role, RoleOf(tags)));
                metrics.SetMeasurementEventCallback<double>((_, _, tags, _) => ThrowFor(role, RoleOf(tags)));
                metrics.Start();
                _listener = metrics;
            }
        }

        public int Thrown => Volatile.Read(ref _thrown);

        public void Dispose() => _listener.Dispose();

        private static object? RoleOf(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            foreach (var tag in tags)
            {
                if (tag.Key == MemcachedMetrics.ClientTag)
                {
                    return tag.Value;
                }
            }

            return null;
        }

        private void ThrowFor(string role, object? tagged)
        {
            if ((tagged as string) == role)
            {
                Interlocked.Increment(ref _thrown);
                throw new InvalidOperationException("the listener broke");
            }
        }
    }
}
