using System.Globalization;
using System.Text;
using DualCache.Memcached;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace DualCache.Tests.Integration;

/// <summary>Each test owns its server, because it kills or freezes it.</summary>
public sealed class FailureTests
{
    /// <summary>Writes the test data; patient, so that a loaded machine does not fail the setup.</summary>
    private static async Task SeedAsync(LocalMemcached server, params (string Key, string Value)[] items)
    {
        await using var seeder = new MemcachedClient("seed", new MemcachedClientOptions { Servers = server.ConnectionString, OperationTimeout = TimeSpan.FromSeconds(10) });
        foreach (var (key, value) in items)
        {
            await seeder.SetAsync(key, System.Text.Encoding.ASCII.GetBytes(value));
        }
    }

    /// <summary>Reads a key, trying again while the client reconnects or the machine is slow; only the answer matters.</summary>
    private static async Task<byte[]?> ReadEventuallyAsync(MemcachedClient client, string key)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                return await client.GetAsync(key);
            }
            catch (MemcachedException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }

    private static MemcachedClient Client(LocalMemcached server, Action<MemcachedClientOptions>? configure = null)
    {
        var options = new MemcachedClientOptions
        {
            Servers = server.ConnectionString,
            OperationTimeout = TimeSpan.FromMilliseconds(300),
            DeadServerRetryInitial = TimeSpan.FromMilliseconds(100),
            DeadServerRetryMax = TimeSpan.FromMilliseconds(400),
        };
        configure?.Invoke(options);
        return new MemcachedClient("cache", options);
    }

    [Fact]
    public async Task A_server_killed_mid_run_fails_fast_and_is_used_again_once_restarted()
    {
        await using var server = await LocalMemcached.StartAsync();
        await SeedAsync(server, ("before", "1"));
        await using var client = Client(server);

        using var stop = new CancellationTokenSource();
        var successes = 0;
        var failures = 0;
        var wrongAnswers = 0;
        var load = Task.WhenAll(Enumerable.Range(0, 16).Select(async worker =>
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var key = $"w{worker}:{n % 20}";
                try
                {
                    await client.SetAsync(key, Encoding.ASCII.GetBytes(key));
                    var read = await client.GetAsync(key);
                    if (read is not null && Encoding.ASCII.GetString(read) != key)
                    {
                        Interlocked.Increment(ref wrongAnswers);
                    }

                    Interlocked.Increment(ref successes);
                }
                catch (MemcachedException)
                {
                    Interlocked.Increment(ref failures);
                    await Task.Delay(5);
                }
            }
        }));

        await Task.Delay(300);
        server.Kill();
        await Task.Delay(500);
        var failuresWhileDown = Volatile.Read(ref failures);
        await Assert.ThrowsAsync<MemcachedServerUnavailableException>(async () => await client.GetAsync("before"));

        await server.RestartAsync();
        var successesAtRestart = Volatile.Read(ref successes);

        // Generous: with the 300 ms limit a slow first answer on a new connection marks the server dead once more.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (Volatile.Read(ref successes) < successesAtRestart + 100 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        await stop.CancelAsync();
        await load;

        Assert.True(failuresWhileDown > 0, "operations should fail while the server is down");
        Assert.True(Volatile.Read(ref successes) >= successesAtRestart + 100, "the client should use the restarted server again");
        Assert.Equal(0, wrongAnswers);
        Assert.Null(await client.GetAsync("before"));
        await client.SetAsync("after", "2"u8.ToArray());
        Assert.Equal("2"u8.ToArray(), await client.GetAsync("after"));
    }

    [Fact]
    public async Task A_request_that_timed_out_never_hands_its_late_answer_to_the_next_request()
    {
        await using var server = await LocalMemcached.StartAsync();
        await SeedAsync(server, ("first", "FIRST"), ("second", "SECOND"));
        await using var client = Client(server, o => o.ConnectionsPerServer = 1);
        await ReadEventuallyAsync(client, "second"); // the one connection is open before the server hangs

        server.Pause();
        var timedOut = client.GetAsync("first").AsTask();
        await Assert.ThrowsAsync<MemcachedTimeoutException>(() => timedOut);
        server.Resume();

        // The answer to "first" is still on its way from the resumed server; on a reused connection it would be read as this one's.
        Assert.Equal("SECOND"u8.ToArray(), await ReadEventuallyAsync(client, "second"));
        Assert.Equal("FIRST"u8.ToArray(), await ReadEventuallyAsync(client, "first"));
    }

    [Fact]
    public async Task Requests_queued_behind_a_hung_request_all_fail_with_a_timeout_instead_of_hanging()
    {
        await using var server = await LocalMemcached.StartAsync();
        await SeedAsync(server, ("k", "v"));
        await using var client = Client(server, o => o.ConnectionsPerServer = 1);
        await ReadEventuallyAsync(client, "k"); // the one connection is open before the server hangs

        server.Pause();
        var reads = Enumerable.Range(0, 20).Select(_ => client.GetAsync("k").AsTask()).ToList();
        var all = Task.WhenAll(reads);
        var finished = await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(5)));
        server.Resume();

        Assert.Same(all, finished);
        Assert.All(reads, r => Assert.IsType<MemcachedTimeoutException>(r.Exception!.InnerException));
    }

    [Fact]
    public async Task A_hung_server_is_marked_dead_instead_of_costing_every_request_a_timeout()
    {
        await using var server = await LocalMemcached.StartAsync();
        await using var client = Client(server, o => (o.ConnectionsPerServer, o.DeadServerRetryInitial, o.DeadServerRetryMax) = (1, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30)));
        await ReadEventuallyAsync(client, "k");

        server.Pause();
        var errors = new List<Exception>();
        for (var i = 0; i < 4; i++)
        {
            errors.Add(await Assert.ThrowsAnyAsync<MemcachedException>(async () => await client.GetAsync("k")));
        }

        server.Resume();

        // The first request waits out its timeout; the reconnect gets no answer either, so the server is marked dead
        // and the rest fail at once, without waiting.
        Assert.IsType<MemcachedTimeoutException>(errors[0]);
        Assert.IsType<MemcachedServerUnavailableException>(errors[^1]);
        Assert.Contains("marked dead", errors[^1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Callers_queued_behind_one_failed_connect_count_as_one_failure()
    {
        await using var server = await LocalMemcached.StartAsync();
        await using var client = Client(server, o => (o.ConnectionsPerServer, o.DeadServerRetryInitial, o.DeadServerRetryMax) = (1, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(60)));
        await ReadEventuallyAsync(client, "k");

        server.Pause();
        await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => client.GetAsync("k").AsTask().ContinueWith(_ => { }, TaskScheduler.Default)));
        server.Resume();

        // Counted once per caller, forty failures would keep the server out for the full minute.
        var error = await Record.ExceptionAsync(async () => await ReadEventuallyAsync(client, "k"));
        Assert.Null(error);
    }

    [Fact]
    public async Task A_server_that_closes_idle_connections_is_not_taken_for_dead()
    {
        await using var server = await LocalMemcached.StartAsync(new LocalMemcachedOptions { Arguments = ["-o", "idle_timeout=1"] });
        await SeedAsync(server, ("k", "v"));
        await using var client = Client(server, o => (o.ConnectionsPerServer, o.OperationTimeout) = (1, TimeSpan.FromSeconds(10)));
        Assert.Equal("v"u8.ToArray(), await client.GetAsync("k"));

        // memcached closes an idle connection on a timer of its own, 1.6 to 3.3 s after its last command here, later on a
        // busy machine: a fixed wait once sent the next read just as it closed, and the server reset it. Wait for the
        // close itself, so that the reads below meet a closed connection. The observer's reads keep its own from idling.
        await using (var observer = new MemcachedClient("observer", new MemcachedClientOptions { Servers = server.ConnectionString, ConnectionsPerServer = 1, OperationTimeout = TimeSpan.FromSeconds(10) }))
        {
            var deadline = DateTime.UtcNow.AddSeconds(15);
            while (Stat(await observer.GetStatsAsync(), "idle_kicks") == 0 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }

            Assert.True(Stat(await observer.GetStatsAsync(), "idle_kicks") > 0, "memcached did not close the idle connection within 15 s.");
        }

        // The client's reader sees the close at once; this is only for it to be scheduled on a busy machine, where
        // 500 ms once looked too short for comfort.
        await Task.Delay(TimeSpan.FromSeconds(3));

        Assert.Equal("v"u8.ToArray(), await client.GetAsync("k"));
        Assert.Equal("v"u8.ToArray(), await client.GetAsync("k"));
    }

    [Fact]
    public async Task A_keep_alive_stops_a_server_from_closing_a_quiet_connection()
    {
        await using var server = await LocalMemcached.StartAsync(new LocalMemcachedOptions { Arguments = ["-o", "idle_timeout=5"] });
        await SeedAsync(server, ("k", "v"));
        await using var quiet = Client(server, o => (o.ConnectionsPerServer, o.OperationTimeout, o.KeepAliveInterval) = (1, TimeSpan.FromSeconds(10), TimeSpan.Zero));
        await using var kept = Client(server, o => (o.ConnectionsPerServer, o.OperationTimeout, o.KeepAliveInterval) = (1, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(1)));
        Assert.Equal("v"u8.ToArray(), await quiet.GetAsync("k"));
        Assert.Equal("v"u8.ToArray(), await kept.GetAsync("k"));

        // Both clients now say nothing. The server closes the one without a keep-alive; the other has been quiet as
        // long, so it would have been closed within about the same time, given a few seconds more on a busy machine.
        await using var observer = new MemcachedClient("observer", new MemcachedClientOptions { Servers = server.ConnectionString, ConnectionsPerServer = 1, OperationTimeout = TimeSpan.FromSeconds(10), KeepAliveInterval = TimeSpan.Zero });
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (Stat(await observer.GetStatsAsync(), "idle_kicks") == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        Assert.Equal(1, Stat(await observer.GetStatsAsync(), "idle_kicks"));

        // The observer keeps asking, so that its own connection is never quiet for long.
        var stats = await observer.GetStatsAsync();
        for (var i = 0; i < 20; i++)
        {
            await Task.Delay(200);
            stats = await observer.GetStatsAsync();
        }

        Assert.Equal(1, Stat(stats, "idle_kicks"));

        // The kept client reads on the connection it opened: no new connection reaches the server.
        Assert.Equal("v"u8.ToArray(), await kept.GetAsync("k"));
        Assert.Equal(Stat(stats, "total_connections"), Stat(await observer.GetStatsAsync(), "total_connections"));
    }

    [Fact]
    public async Task A_keep_alive_that_gets_no_answer_closes_its_connection_before_a_caller_waits_on_it()
    {
        await using var server = await LocalMemcached.StartAsync();
        await SeedAsync(server, ("k", "v"));
        await using var observer = new MemcachedClient("observer", new MemcachedClientOptions { Servers = server.ConnectionString, ConnectionsPerServer = 1, OperationTimeout = TimeSpan.FromSeconds(10) });
        var alone = Assert.Single(await observer.GetStatsAsync()).CurrentConnections;
        var logs = new FakeLogCollector();
        using var loggers = new LoggerFactory([new FakeLoggerProvider(logs)]);
        await using var client = new MemcachedClient("cache", new MemcachedClientOptions { Servers = server.ConnectionString, ConnectionsPerServer = 1, OperationTimeout = TimeSpan.FromSeconds(1), KeepAliveInterval = TimeSpan.FromSeconds(1) }, loggers);
        Assert.Equal("v"u8.ToArray(), await client.GetAsync("k"));
        Assert.Equal(alone + 1, Assert.Single(await observer.GetStatsAsync()).CurrentConnections);

        // Hung with nobody asking: the keep-alive goes out after a quiet second and times out a second later, or
        // later on a busy machine, whose timers run late. Kept hung until then: resumed, it would answer the probe.
        server.Pause();
        var timedOut = DateTime.UtcNow.AddSeconds(30);
        while (!logs.GetSnapshot().Any(record => record.Id.Id == 1) && DateTime.UtcNow < timedOut)
        {
            await Task.Delay(100);
        }

        server.Resume();
        Assert.Contains(logs.GetSnapshot(), record => record.Id.Id == 1 && record.Message.Contains("did not answer within 00:00:01", StringComparison.Ordinal));

        // The client closed its connection while the server was hung; the resumed server sees the close.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        long open;
        while ((open = Assert.Single(await observer.GetStatsAsync()).CurrentConnections) > alone && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Equal(alone, open);
        Assert.Equal("v"u8.ToArray(), await ReadEventuallyAsync(client, "k"));
    }

    private static long Stat(IReadOnlyList<MemcachedServerStats> stats, string name) =>
        long.Parse(Assert.Single(stats).Values[name], CultureInfo.InvariantCulture);

    [Fact]
    public async Task Disposing_a_client_while_it_connects_leaves_no_connection_behind()
    {
        await using var server = await LocalMemcached.StartAsync();
        await using var observer = new MemcachedClient("observer", new MemcachedClientOptions { Servers = server.ConnectionString, ConnectionsPerServer = 1, OperationTimeout = TimeSpan.FromSeconds(10) });
        var baseline = Assert.Single(await observer.GetStatsAsync()).CurrentConnections;

        for (var round = 0; round < 20; round++)
        {
            var client = Client(server, o => o.ConnectionsPerServer = 4);
            var reads = Enumerable.Range(0, 50).Select(_ => client.GetAsync("k").AsTask()).ToList();
            await client.DisposeAsync();
            await Task.WhenAll(reads.Select(r => r.ContinueWith(_ => { }, TaskScheduler.Default)));
            await Assert.ThrowsAsync<ObjectDisposedException>(async () => await client.GetAsync("k"));
        }

        // memcached notices closed sockets on its own time; give it a moment.
        var deadline = DateTime.UtcNow.AddSeconds(5);
        long open;
        while ((open = Assert.Single(await observer.GetStatsAsync()).CurrentConnections) > baseline && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Equal(baseline, open);
    }

    [Fact]
    public async Task Nothing_listening_is_reported_as_unavailable_not_as_a_hang()
    {
        var server = await LocalMemcached.StartAsync();
        var endPoint = server.ConnectionString;
        await server.DisposeAsync();
        await using var client = new MemcachedClient("cache", new MemcachedClientOptions { Servers = endPoint });

        var error = await Assert.ThrowsAsync<MemcachedServerUnavailableException>(async () => await client.GetAsync("k"));

        Assert.Contains(endPoint, error.Message, StringComparison.Ordinal);
        Assert.Contains(await client.GetVersionsAsync(), v => v.Error is not null);
    }
}
