using System.Text;
using DualCache.Memcached;

namespace DualCache.Tests.Connections;

/// <summary>The connection layer against a peer that misbehaves on purpose.</summary>
[Collection(ServerGaugeReaders.Name)]
public sealed class ConnectionResilienceTests
{
    internal static MemcachedClient Client(ScriptedServer server) => new("cache", new MemcachedClientOptions
    {
        Servers = server.ConnectionString,
        ConnectionsPerServer = 1,
        OperationTimeout = TimeSpan.FromSeconds(2),
        DeadServerRetryInitial = TimeSpan.FromMilliseconds(50),
    });

    /// <summary>Answers what every new connection asks first (its item size limit, or a no-op once that is known), then scripts the rest.</summary>
    internal static Func<System.Net.Sockets.NetworkStream, Task> SettingsThen(string line, Func<System.Net.Sockets.NetworkStream, Task> answer) => line switch
    {
        "stats settings" => ScriptedServer.Send("STAT item_size_max 1048576\r\nEND\r\n"),
        "mn" => ScriptedServer.Send("MN\r\n"),
        _ => answer,
    };

    /// <summary>A server that answers every get with "ok", but refuses "stats settings", as a proxy may.</summary>
    internal static ScriptedServer SilentOnItemSize() => new((_, line) => line switch
    {
        "stats settings" => ScriptedServer.Send("ERROR\r\n"),
        "mn" => ScriptedServer.Send("MN\r\n"),
        _ => ScriptedServer.Send($"VA 2 f0 c1{ScriptedServer.Echo(line)}\r\nok\r\n"),
    });

    [Fact]
    public async Task Garbage_from_the_server_fails_the_request_clearly_and_the_next_request_gets_a_fresh_connection()
    {
        await using var server = new ScriptedServer((connection, line) => SettingsThen(line, connection == 1
            ? ScriptedServer.Send("HELLO THERE\r\n")
            : ScriptedServer.Send($"VA 2 f0 c1{ScriptedServer.Echo(line)}\r\nok\r\n")));
        await using var client = Client(server);

        var error = await Assert.ThrowsAsync<MemcachedProtocolException>(async () => await client.GetAsync("k"));
        Assert.Contains("HELLO THERE", error.Message, StringComparison.Ordinal);

        Assert.Equal("ok"u8.ToArray(), await client.GetAsync("k"));
        Assert.Equal(2, server.Connections);
    }

    [Fact]
    public async Task A_response_dribbled_one_byte_at_a_time_is_read_correctly()
    {
        var value = new string('v', 5000);
        await using var server = new ScriptedServer((_, line) => SettingsThen(line, async stream =>
        {
            foreach (var b in Encoding.ASCII.GetBytes($"VA {value.Length} f7 c9{ScriptedServer.Echo(line)}\r\n{value}\r\n"))
            {
                await stream.WriteAsync(new[] { b });
                await stream.FlushAsync();
            }
        }));
        await using var client = Client(server);

        var item = await client.GetItemAsync("k");

        Assert.Equal(value, Encoding.ASCII.GetString(item!.Value.Value));
        Assert.Equal(7u, item.Value.Flags);
    }

    [Fact]
    public async Task Several_responses_in_one_packet_each_reach_their_own_request()
    {
        // The peer holds its answers back, then answers all three requests, in the order they came, in one write.
        var pending = new List<string>();
        await using var server = new ScriptedServer((_, line) => SettingsThen(line, stream =>
        {
            lock (pending)
            {
                pending.Add(line);
                if (pending.Count < 3)
                {
                    return Task.CompletedTask;
                }
            }

            var answers = string.Concat(pending.Select(request => request.Split(' ')[1] is var key && key == "b"
                ? $"EN{ScriptedServer.Echo(request)}\r\n"
                : $"VA 1{ScriptedServer.Echo(request)}\r\n{key}\r\n"));
            return ScriptedServer.Send(answers)(stream);
        }));
        await using var client = Client(server);

        var first = client.GetAsync("a").AsTask();
        var second = client.GetAsync("b").AsTask();
        var third = client.GetAsync("c").AsTask();

        Assert.Equal("a"u8.ToArray(), await first);
        Assert.Null(await second);
        Assert.Equal("c"u8.ToArray(), await third);
        Assert.Equal(1, server.Connections);
    }

    [Fact]
    public async Task A_server_that_will_not_tell_its_item_size_limit_is_still_used()
    {
        await using var server = SilentOnItemSize();
        await using var client = Client(server);

        Assert.Equal("ok"u8.ToArray(), await client.GetAsync("k"));
        Assert.Equal("ok"u8.ToArray(), await client.GetAsync("k"));
        Assert.Equal(1, server.Connections);
    }

    [Fact]
    public async Task An_answer_nobody_asked_for_closes_the_connection_instead_of_shifting_every_later_answer()
    {
        await using var server = new ScriptedServer((connection, line) => SettingsThen(line, connection == 1
            ? ScriptedServer.Send($"EN{ScriptedServer.Echo(line)}\r\nEN{ScriptedServer.Echo(line)}\r\n")
            : ScriptedServer.Send($"EN{ScriptedServer.Echo(line)}\r\n")));
        await using var client = Client(server);

        Assert.Null(await client.GetAsync("first"));
        await Task.Delay(200);

        Assert.Null(await client.GetAsync("second"));
        Assert.Equal(2, server.Connections);
    }
}
