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

        // On the thread pool, so that no test framework's synchronization context takes the continuation.
        var thread = await Task.Run(async () =>
        {
            _ = await client.GetAsync("where");
            return Thread.CurrentThread.Name;
        });

        Assert.Equal(inline, thread?.StartsWith("memcached ", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task Inline_every_caller_still_gets_its_own_answer_small_and_large()
    {
        await using var client = memcached.CreateClient(o => (o.UnsafePreferInlineScheduling, o.ConnectionsPerServer, o.OperationTimeout) = (true, 1, TimeSpan.FromSeconds(30)));

        // Every tenth value is 100 KB: those requests exceed what the reader writes itself, so the thread pool writes them.
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
        await using var client = memcached.CreateClient(o => (o.UnsafePreferInlineScheduling, o.ConnectionsPerServer, o.OperationTimeout) = (true, 1, TimeSpan.FromMilliseconds(500)));
        await client.SetAsync("blocked", "value"u8.ToArray());

        var blocked = await Task.Run(async () =>
        {
            _ = await client.GetAsync("blocked");

            // Now on the connection's thread: waiting here for another answer on the same connection keeps that
            // thread from reading it. What ends the wait is the timeout, which closes the connection.
            try
            {
                _ = client.GetAsync("blocked").AsTask().GetAwaiter().GetResult();
                return null;
            }
            catch (MemcachedTimeoutException exception)
            {
                return exception;
            }
        });

        Assert.NotNull(blocked);

        // The client opens a new connection, and callers that do not block are served again.
        Assert.Equal("value"u8.ToArray(), await client.GetAsync("blocked"));
    }
}
