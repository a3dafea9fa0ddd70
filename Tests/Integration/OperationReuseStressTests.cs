using System.Collections.Concurrent;
using System.Text;
using DualCache.Memcached;

namespace DualCache.Tests.Integration;

/// <summary>
/// Operations are reused from request to request. Under everything that ends a request early at once (callers that
/// cancel mid-flight, timeouts that close connections, a server frozen, killed and restarted, replicated and multi-key
/// reads), every call still ends, and with its own answer. A call that never ends is reported by name, not waited for.
/// </summary>
public sealed class OperationReuseStressTests
{
    /// <summary>Far beyond what any call may take: the operation timeout, or a connect attempt, whichever fails first.</summary>
    private static readonly TimeSpan Hung = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan RunFor = TimeSpan.FromSeconds(8);

    [Fact]
    public async Task Every_call_ends_with_its_own_answer_while_callers_cancel_connections_time_out_and_servers_die()
    {
        var servers = await LocalServers.StartAsync(3);
        var problems = new ConcurrentQueue<string>();
        var calls = new Counts();
        try
        {
            await using var single = Client(servers, replicas: 1);
            await using var replicated = Client(servers, replicas: 2);
            using var stop = new CancellationTokenSource(RunFor);
            var chaos = DisturbAsync(servers, stop.Token);
            var workers = Enumerable.Range(0, 16).Select(worker => WorkAsync(worker % 2 == 0 ? single : replicated, worker, problems, calls, stop.Token)).ToList();

            await Task.WhenAll([.. workers, chaos]).WaitAsync(RunFor + Hung + Hung);
        }
        finally
        {
            foreach (var server in servers)
            {
                if (server.IsRunning)
                {
                    server.Resume();
                }

                await server.DisposeAsync();
            }
        }

        Assert.Empty(problems);
        Assert.True(calls.Answered > 200, $"only {calls.Answered} of {calls.Made} calls were answered: too few to tell answers apart");
    }

    private static MemcachedClient Client(LocalMemcached[] servers, int replicas) => new($"reuse-{replicas}", new MemcachedClientOptions
    {
        Servers = string.Join(',', servers.Select(server => server.ConnectionString)),
        Replicas = replicas,
        ConnectionsPerServer = 2,
        // So short that answers keep arriving just as their connection times out and fails what it still waits for.
        OperationTimeout = TimeSpan.FromMilliseconds(replicas == 1 ? 3 : 20),
        ConnectTimeout = TimeSpan.FromMilliseconds(500),
        DeadServerRetryInitial = TimeSpan.FromMilliseconds(20),
        DeadServerRetryMax = TimeSpan.FromMilliseconds(100),
        DisableMetrics = true,
        DisableTracing = true,
    });

    /// <summary>Freezes one server for a moment again and again, and now and then kills one and starts it again.</summary>
    private static async Task DisturbAsync(LocalMemcached[] servers, CancellationToken stop)
    {
        for (var round = 0; !stop.IsCancellationRequested; round++)
        {
            var server = servers[round % servers.Length];
            if (round % 10 == 9)
            {
                await server.RestartAsync(CancellationToken.None);
            }
            else
            {
                server.Pause();
                await Task.Delay(60, CancellationToken.None);
                server.Resume();
            }

            await Task.Delay(100, CancellationToken.None);
        }
    }

    private static async Task WorkAsync(MemcachedClient client, int worker, ConcurrentQueue<string> problems, Counts calls, CancellationToken stop)
    {
        var random = new Random(worker);
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            var key = $"w{worker}:{n % 8}";
            var value = Encoding.ASCII.GetBytes($"{key}={n}");
            using var cancel = new CancellationTokenSource();
            switch (random.Next(4))
            {
                case 0:
                    cancel.Cancel();
                    break;
                case 1:
                    cancel.CancelAfter(TimeSpan.FromMilliseconds(random.Next(0, 3)));
                    break;
            }

            var token = random.Next(3) == 0 ? CancellationToken.None : cancel.Token;
            await CallAsync($"set {key}", client.SetAsync(key, value, cancellationToken: token).AsTask(), problems, calls);
            var read = await CallAsync($"get {key}", client.GetAsync(key, token).AsTask(), problems, calls);
            Check(key, read, problems);

            // Two reads sent before either is awaited, the second awaited only once the first is done, as a page reads its ticket and cart.
            var other = $"w{worker}:{(n + 1) % 8}";
            var first = client.GetItemAsync(key, token);
            var second = client.GetAsync(other, token);
            Check(key, (await CallAsync($"get item {key}", first.AsTask(), problems, calls))?.Value, problems);
            Check(other, await CallAsync($"get {other}", second.AsTask(), problems, calls), problems);

            if (n % 4 == 0)
            {
                var keys = Enumerable.Range(0, 8).Select(i => $"w{worker}:{i}").ToList();
                var many = await CallAsync($"get many of worker {worker}", client.GetManyAsync(keys, token), problems, calls);
                foreach (var (found, item) in many ?? new Dictionary<string, MemcachedItem>())
                {
                    Check(found, item.Value, problems);
                }
            }

            if (n % 3 == 0)
            {
                await CallAsync($"increment w{worker}:counter", client.IncrementAsync($"w{worker}:counter", 1, 0, cancellationToken: token).AsTask(), problems, calls);
                await CallAsync($"delete {other}", client.DeleteAsync(other, token).AsTask(), problems, calls);
            }
        }
    }

    /// <summary>A call's result; memcached errors (but protocol errors) and cancellation are expected here, anything else, or no end at all, is a problem.</summary>
    private static async Task<T?> CallAsync<T>(string what, Task<T> call, ConcurrentQueue<string> problems, Counts calls)
    {
        Interlocked.Increment(ref calls.Made);
        try
        {
            var result = await call.WaitAsync(Hung);
            Interlocked.Increment(ref calls.Answered);
            return result;
        }
        catch (TimeoutException)
        {
            problems.Enqueue($"{what} never ended");
        }
        catch (MemcachedProtocolException exception)
        {
            // Servers that die or freeze end connections, not the protocol: a response out of step means answers were mixed up.
            problems.Enqueue($"{what} met a protocol error: {exception.Message}");
        }
        catch (Exception exception) when (exception is MemcachedException or OperationCanceledException)
        {
        }
        catch (Exception exception)
        {
            problems.Enqueue($"{what} failed with {exception.GetType().Name}: {exception.Message}");
        }

        return default;
    }

    private static async Task CallAsync(string what, Task call, ConcurrentQueue<string> problems, Counts calls) =>
        await CallAsync(what, EndedAsync(call), problems, calls);

    private static async Task<bool> EndedAsync(Task call)
    {
        await call;
        return true;
    }

    private sealed class Counts
    {
        public int Made;
        public int Answered;
    }

    /// <summary>Each key's values name the key: a value naming another is another caller's answer.</summary>
    private static void Check(string key, byte[]? read, ConcurrentQueue<string> problems)
    {
        if (read is not null && !Encoding.ASCII.GetString(read).StartsWith($"{key}=", StringComparison.Ordinal))
        {
            problems.Enqueue($"a read of {key} was handed '{Encoding.ASCII.GetString(read)}'");
        }
    }
}
