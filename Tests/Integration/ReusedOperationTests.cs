using System.Text;
using DualCache.Memcached;

namespace DualCache.Tests.Integration;

/// <summary>
/// Operations are reused from request to request; one whose caller stopped waiting is reused only after its answer
/// has come, or its connection has failed.
/// </summary>
public sealed class ReusedOperationTests
{
    [Fact]
    public async Task Gets_cancelled_while_their_answers_are_on_the_way_never_lend_those_answers_to_later_gets()
    {
        await using var server = await LocalMemcached.StartAsync();
        await using var client = OneConnection(server);
        for (var i = 0; i < 100; i++)
        {
            await client.SetAsync($"k{i}", Encoding.ASCII.GetBytes($"v{i}"));
        }

        server.Pause();
        try
        {
            using var cancel = new CancellationTokenSource();
            var cancelled = Enumerable.Range(0, 50).Select(i => client.GetAsync($"k{i}", cancel.Token).AsTask()).ToList();
            await cancel.CancelAsync();
            var stopped = Task.WhenAll(cancelled.Select(read => Assert.ThrowsAnyAsync<OperationCanceledException>(() => read)));
            Assert.Same(stopped, await Task.WhenAny(stopped, Task.Delay(TimeSpan.FromSeconds(5))));

            // Sent while the cancelled ones' answers are still to come: they must not be those answers' operations.
            var later = Enumerable.Range(50, 50).Select(i => client.GetAsync($"k{i}").AsTask()).ToList();
            server.Resume();

            var values = await Task.WhenAll(later);
            Assert.Equal(Enumerable.Range(50, 50).Select(i => $"v{i}"), values.Select(value => Encoding.ASCII.GetString(value!)));
        }
        finally
        {
            server.Resume();
        }
    }

    [Fact]
    public async Task A_caller_that_awaits_a_cancelled_get_twice_does_not_take_the_next_gets_answer()
    {
        await using var server = await LocalMemcached.StartAsync();
        await using var client = OneConnection(server);
        await client.SetAsync("a", "A"u8.ToArray());
        await client.SetAsync("b", "B"u8.ToArray());

        server.Pause();
        try
        {
            using var cancel = new CancellationTokenSource();
            var read = client.GetAsync("a", cancel.Token);
            await cancel.CancelAsync();

            // Awaiting a ValueTask twice is a misuse, but it must cost only that caller: its answer is still to come.
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await read);
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await read);

            var next = client.GetAsync("b").AsTask();
            server.Resume();
            Assert.Equal("B"u8.ToArray(), await next.WaitAsync(TimeSpan.FromSeconds(10)));
        }
        finally
        {
            server.Resume();
        }
    }

    /// <summary>One connection, so that every request queues behind the same earlier ones.</summary>
    private static MemcachedClient OneConnection(LocalMemcached server) => new("reuse", new MemcachedClientOptions
    {
        Servers = server.ConnectionString,
        ConnectionsPerServer = 1,
        OperationTimeout = TimeSpan.FromSeconds(10),
    });
}
