using System.Net.Sockets;
using DualCache.Memcached;

namespace DualCache.Tests.Connections;

/// <summary>
/// A server that stops reading (hung, or stopped in a debugger) leaves the client's writes blocked once the socket's
/// buffers are full. The operation timeout must still end it: every caller is told, the write is let go, and the next
/// request gets a fresh connection.
/// </summary>
[Collection(ServerGaugeReaders.Name)]
public sealed class StalledServerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Requests_to_a_server_that_stopped_reading_time_out_and_the_next_one_gets_a_fresh_connection()
    {
        // The first connection answers sets, and stops reading at its first get; later ones answer everything.
        var stall = new TaskCompletionSource();
        Func<NetworkStream, Task> Answer(int connection, string line) =>
            !line.StartsWith("mg ", StringComparison.Ordinal) ? ScriptedServer.Send($"HD{ScriptedServer.Echo(line)}\r\n")
            : connection == 1 ? _ => stall.Task
            : ScriptedServer.Send($"VA 2{ScriptedServer.Echo(line)}\r\nok\r\n");
        await using var server = new ScriptedServer((connection, line) => ConnectionResilienceTests.SettingsThen(line, Answer(connection, line)));
        await using var client = new MemcachedClient("cache", new MemcachedClientOptions
        {
            Servers = server.ConnectionString,
            ConnectionsPerServer = 1,
            // Long enough for the connection's first round trip, and for queueing every request below before the
            // first one is overdue, on a machine busy with the rest of the suite.
            OperationTimeout = TimeSpan.FromSeconds(3),
            DeadServerRetryInitial = TimeSpan.FromMilliseconds(50),
        });

        try
        {
            // Connected first, so that the requests below go out in the order they are made.
            await client.SetAsync("warm", new byte[] { 1 }).AsTask().WaitAsync(Patience);

            // The server reads this get and then nothing more. Behind it, 24 MB of sets: more than loopback's socket
            // buffers hold, so the client's write blocks.
            var value = new byte[1_000_000];
            var requests = new List<Task> { client.GetAsync("first").AsTask() };
            requests.AddRange(Enumerable.Range(0, 24).Select(i => client.SetAsync($"big{i}", value).AsTask()));

            foreach (var request in requests)
            {
                await Assert.ThrowsAsync<MemcachedTimeoutException>(() => request.WaitAsync(Patience));
            }

            Assert.Equal("ok"u8.ToArray(), await client.GetAsync("after").AsTask().WaitAsync(Patience));
            Assert.Equal(2, server.Connections);
        }
        finally
        {
            stall.SetResult();
        }
    }
}
