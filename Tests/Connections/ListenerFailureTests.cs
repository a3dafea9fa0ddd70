using System.Diagnostics;
using System.Diagnostics.Metrics;
using DualCache.Memcached;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

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
        using var trace = new Activity($"test-{role}").Start();
        using var broken = new BrokenListener(listening, role, trace.TraceId);

        // Many at once, so that several answers are handed out in one batch on the connection's thread.
        var answers = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Task.Run(() => client.GetAsync($"k{i}").AsTask().WaitAsync(Patience))));

        Assert.All(answers, answer => Assert.Equal("ok"u8.ToArray(), answer));
        Assert.True(broken.Thrown > 0);
        Assert.Equal(1, server.Connections);
    }

    [Theory]
    [InlineData("span sampling", false)]
    [InlineData("span sampling", true)]
    [InlineData("span start", false)]
    [InlineData("span start", true)]
    public async Task A_listener_that_throws_as_a_span_starts_costs_the_caller_only_its_span_and_is_logged(string listening, bool inline)
    {
        var role = $"listener-{Guid.NewGuid():N}";
        await using var server = new ScriptedServer((_, line) => ConnectionResilienceTests.SettingsThen(line, ScriptedServer.Send($"VA 2{ScriptedServer.Echo(line)}\r\nok\r\n")));
        var logs = new FakeLogCollector();
        using var logging = new LoggerFactory([new FakeLoggerProvider(logs)]);
        await using var client = new MemcachedClient(role, Options(server, inline, TimeSpan.FromSeconds(5)), logging);

        // This test's own trace marks its operations: at the start of a span its tags are not set yet, and other tests
        // share the source.
        using var parent = new Activity($"test-{role}").Start();
        using var broken = new BrokenListener(listening, parent.TraceId.ToHexString(), parent.TraceId);

        var answers = new List<byte[]?>();
        for (var i = 0; i < 10; i++)
        {
            answers.Add(await client.GetAsync($"k{i}").AsTask().WaitAsync(Patience));

            // A span the listener's failure left running was ended, and the caller's flow is back on its own span.
            Assert.Same(parent, Activity.Current);
        }

        Assert.All(answers, answer => Assert.Equal("ok"u8.ToArray(), answer));
        Assert.Equal(10, broken.Thrown);
        Assert.Equal(listening == "span start" ? 10 : 0, broken.Ended);
        Assert.Equal(1, server.Connections);

        // Each is logged once its caller has its answer, so the last may come a moment after.
        var logged = 0;
        for (var deadline = DateTime.UtcNow + Patience; DateTime.UtcNow < deadline && logged < 10; await Task.Delay(20))
        {
            logged = logs.GetSnapshot().Count(log => log.Id.Id == 3 && log.Exception?.Message == "the listener broke");
        }

        Assert.Equal(10, logged);
    }

    [Fact]
    public async Task A_throwing_listener_on_a_connection_that_fails_leaves_each_caller_its_own_failure()
    {
        var role = $"listener-{Guid.NewGuid():N}";

        // Never answers a read: every one times out, and the connection's fault fails the rest through the listener.
        await using var server = new ScriptedServer((_, line) => ConnectionResilienceTests.SettingsThen(line, _ => Task.CompletedTask));
        // Not shorter: the timeout also bounds the connection's first round trip, and on a busy machine a handshake
        // that timed out would mark the server dead, so that the callers behind it got "unavailable" instead.
        await using var client = Client(server, role, inline: true, TimeSpan.FromSeconds(2));
        using var trace = new Activity($"test-{role}").Start();
        using var broken = new BrokenListener("span", role, trace.TraceId);

        var failures = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
            await Record.ExceptionAsync(() => client.GetAsync($"k{i}").AsTask().WaitAsync(Patience)))));

        Assert.All(failures, failure => Assert.IsType<MemcachedTimeoutException>(failure));
        Assert.True(broken.Thrown > 0);
    }

    private static MemcachedClient Client(ScriptedServer server, string role, bool inline, TimeSpan timeout) => new(role, Options(server, inline, timeout));

    private static MemcachedClientOptions Options(ScriptedServer server, bool inline, TimeSpan timeout) => new()
    {
        Servers = server.ConnectionString,
        ConnectionsPerServer = 1,
        OperationTimeout = timeout,
        UnsafePreferInlineScheduling = inline,
    };

    /// <summary>
    /// Throws at every span end, or every measurement, of one role's operations, or at every span's sampling or start
    /// in one trace: other tests share the source and the meter. A span listener records only the test's own trace:
    /// a listener's sampling decides for every listener of the process, and recording everything would hand other
    /// tests' exporters spans their own setup drops (a health probe's, in TracingTests).
    /// </summary>
    private sealed class BrokenListener : IDisposable
    {
        private readonly IDisposable _listener;
        private int _thrown;
        private int _ended;

        public BrokenListener(string listening, string marker, ActivityTraceId trace)
        {
            if (listening is "span" or "span start" or "span sampling")
            {
                var spans = new ActivityListener
                {
                    ShouldListenTo = source => source.Name == MemcachedActivitySource.Name,
                    Sample = (ref ActivityCreationOptions<ActivityContext> options) => Own(options, trace),
                };
                if (listening == "span sampling")
                {
                    spans.Sample = (ref ActivityCreationOptions<ActivityContext> options) =>
                    {
                        ThrowFor(marker, options.Parent.TraceId.ToHexString());
                        return Own(options, trace);
                    };
                }
                else if (listening == "span start")
                {
                    spans.ActivityStarted = span => ThrowFor(marker, span.TraceId.ToHexString());
                    spans.ActivityStopped = span =>
                    {
                        if (span.TraceId.ToHexString() == marker)
                        {
                            Interlocked.Increment(ref _ended);
                        }
                    };
                }
                else
                {
                    spans.ActivityStopped = span => ThrowFor(marker, span.GetTagItem(MemcachedMetrics.ClientTag));
                }

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
                metrics.SetMeasurementEventCallback<long>((_, _, tags, _) => ThrowFor(marker, RoleOf(tags)));
                metrics.SetMeasurementEventCallback<double>((_, _, tags, _) => ThrowFor(marker, RoleOf(tags)));
                metrics.Start();
                _listener = metrics;
            }
        }

        public int Thrown => Volatile.Read(ref _thrown);

        /// <summary>Spans of the trace that ended, as seen by the listener that threw at their start.</summary>
        public int Ended => Volatile.Read(ref _ended);

        public void Dispose() => _listener.Dispose();

        private static ActivitySamplingResult Own(in ActivityCreationOptions<ActivityContext> options, ActivityTraceId trace) =>
            options.Parent.TraceId == trace ? ActivitySamplingResult.AllDataAndRecorded : ActivitySamplingResult.None;

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

        private void ThrowFor(string marker, object? tagged)
        {
            if ((tagged as string) == marker)
            {
                Interlocked.Increment(ref _thrown);
                throw new InvalidOperationException("the listener broke");
            }
        }
    }
}
