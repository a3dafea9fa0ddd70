using System.Text;
using DualCache.Memcached;

namespace DualCache.Tests.Integration;

/// <summary>
/// <see cref="MemcachedClientOptions.UnsafePreferInlineScheduling"/>: callers' code runs on the connection's own thread.
/// Answers must still reach their own callers, and the hazard it names must stay bounded by the operation timeout.
/// </summary>
public sealed class InlineSchedulingTests(MemcachedServerFixture memcached) : IClassFixture<MemcachedServerFixture>
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_caller_continues_on_the_connection_thread_only_when_told_to(bool inline)
    {
        await using var client = memcached.CreateClient(o => o.UnsafePreferInlineScheduling = inline);
        await client.SetAsync("where", "here"u8.ToArray());

        // An answer that is in before its caller awaits lets the caller go on where it is, so look at several.
        var onConnectionThread = 0;
        for (var attempt = 0; attempt < 20; attempt++)
        {
            if (await OnConnectionThreadAfterGetAsync(client, "where"))
            {
                onConnectionThread++;
            }
        }

        Assert.Equal(inline, onConnectionThread > 0);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Inline_every_caller_still_gets_its_own_answer_small_and_large(int connections)
    {
        await using var client = memcached.CreateClient(o => (o.UnsafePreferInlineScheduling, o.ConnectionsPerServer, o.OperationTimeout) = (true, connections, TimeSpan.FromSeconds(30)));

        // Callers go on on one connection's thread and send to either connection: that thread writes their requests.
        // Every tenth value is 100 KB, more than a reader writes itself: the thread pool writes those.
        var results = await Task.WhenAll(Enumerable.Range(0, 300).Select(i => Task.Run(async () =>
        {
            var value = Encoding.ASCII.GetBytes($"value-{i}-{new string('x', i % 10 == 0 ? 100_000 : i)}");
            for (var round = 0; round < 5; round++)
            {
                await client.SetAsync($"inline:{i}", value);
                var read = await client.GetAsync($"inline:{i}");
                if (!value.AsSpan().SequenceEqual(read))
                {
                    return $"caller {i} read another answer in round {round}";
                }
            }

            var many = await client.GetManyAsync([$"inline:{i}", $"inline:{(i + 1) % 300}", "inline:none"]);
            return many.ContainsKey($"inline:{i}") && !many.ContainsKey("inline:none") ? null : $"caller {i}'s batch came back wrong";
        })));

        Assert.All(results, Assert.Null);
    }

    [Fact]
    public async Task Inline_a_caller_that_blocks_on_the_client_stalls_its_connection_only_until_the_timeout()
    {
        await using var client = memcached.CreateClient(o => (o.UnsafePreferInlineScheduling, o.ConnectionsPerServer, o.OperationTimeout) = (true, 1, TimeSpan.FromSeconds(2)));
        await client.SetAsync("blocked", "value"u8.ToArray());

        var blocked = await Task.Run(async () =>
        {
            for (var attempt = 0; attempt < 20; attempt++)
            {
                _ = await client.GetAsync("blocked");
                if (!IsConnectionThread())
                {
                    continue;
                }

                // On the connection's thread: waiting here for another answer keeps that thread from writing the
                // request and from reading its answer. What ends the wait is the timeout, which closes the connection.
                try
                {
                    _ = client.GetAsync("blocked").AsTask().GetAwaiter().GetResult();
                    return "the blocked request was answered";
                }
                catch (MemcachedTimeoutException)
                {
                    return null;
                }
            }

            return "no caller went on on the connection's thread";
        }).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Null(blocked);

        // The client opens a new connection, and callers that do not block are served again.
        Assert.Equal("value"u8.ToArray(), await client.GetAsync("blocked"));
    }

    private static Task<bool> OnConnectionThreadAfterGetAsync(MemcachedClient client, string key) =>
        // On the thread pool, so that no test framework's synchronization context takes the continuation.
        Task.Run(async () =>
        {
            _ = await client.GetAsync(key);
            return IsConnectionThread();
        });

    private static bool IsConnectionThread() => Thread.CurrentThread.Name?.StartsWith("memcached ", StringComparison.Ordinal) == true;
}
