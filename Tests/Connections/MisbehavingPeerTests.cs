using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using DualCache.Memcached;
using static DualCache.Tests.Connections.ConnectionResilienceTests;

namespace DualCache.Tests.Connections;

/// <summary>
/// A peer that answers out of order, twice, with another request's token or key, or announces a value it cannot hold:
/// every caller gets its own answer or an error saying why, never another caller's value.
/// </summary>
[Collection(ServerGaugeReaders.Name)]
public sealed class MisbehavingPeerTests
{
    /// <summary>
    /// Holds the answers to <c>mg</c> back until <paramref name="count"/> came, then sends what <paramref name="answer"/>
    /// makes of them, in one write. A later connection behaves.
    /// </summary>
    private static Func<int, string, Func<System.Net.Sockets.NetworkStream, Task>> HoldThen(int count, Func<IReadOnlyList<string>, string> answer)
    {
        var held = new List<string>();
        return (connection, line) => SettingsThen(line, stream =>
        {
            if (line == "version")
            {
                return ScriptedServer.Send("VERSION 1.6.18\r\n")(stream);
            }

            if (connection > 1)
            {
                return ScriptedServer.Send($"VA 5{ScriptedServer.Echo(line)}\r\nfresh\r\n")(stream);
            }

            lock (held)
            {
                held.Add(line);
                if (held.Count < count)
                {
                    return Task.CompletedTask;
                }
            }

            return ScriptedServer.Send(answer(held))(stream);
        });
    }

    /// <summary>A client whose connection is open, so that requests go out in the order they are made.</summary>
    private static async Task<MemcachedClient> ConnectedClientAsync(ScriptedServer server)
    {
        var client = Client(server);
        Assert.Null(Assert.Single(await client.GetVersionsAsync()).Error);
        return client;
    }

    private static string ValueOf(string request) => $"VA 1{ScriptedServer.Echo(request)}\r\n{request.Split(' ')[1]}\r\n";

    [Fact]
    public async Task Answers_in_the_wrong_order_fail_both_callers_instead_of_swapping_their_values()
    {
        await using var server = new ScriptedServer(HoldThen(2, held => ValueOf(held[1]) + ValueOf(held[0])));
        await using var client = await ConnectedClientAsync(server);

        var a = client.GetAsync("a").AsTask();
        var b = client.GetAsync("b").AsTask();

        var error = await Assert.ThrowsAsync<MemcachedProtocolException>(() => a);
        Assert.Contains("out of step", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<MemcachedProtocolException>(() => b);
        Assert.Equal("fresh"u8.ToArray(), await client.GetAsync("c"));
        Assert.Equal(2, server.Connections);
    }

    [Fact]
    public async Task A_duplicated_answer_fails_the_next_caller_instead_of_handing_it_the_first_callers_value()
    {
        await using var server = new ScriptedServer(HoldThen(2, held => ValueOf(held[0]) + ValueOf(held[0])));
        await using var client = await ConnectedClientAsync(server);

        var a = client.GetAsync("a").AsTask();
        var b = client.GetAsync("b").AsTask();

        Assert.Equal("a"u8.ToArray(), await a);
        await Assert.ThrowsAsync<MemcachedProtocolException>(() => b);
    }

    [Fact]
    public async Task An_answer_with_a_token_nobody_sent_fails_every_waiting_caller_and_counts_as_an_error()
    {
        var errors = new ConcurrentBag<string>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == MemcachedMetrics.MeterName && instrument.Name == "memcached.client.errors")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        var role = $"cache-{Guid.NewGuid():N}";
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            var dictionary = tags.ToArray().ToDictionary(tag => tag.Key, tag => tag.Value as string);
            if (dictionary.GetValueOrDefault(MemcachedMetrics.ClientTag) == role)
            {
                errors.Add(dictionary.GetValueOrDefault("error.type") ?? "");
            }
        });
        listener.Start();
        await using var server = new ScriptedServer(HoldThen(3, held => ValueOf(held[0]).Replace(ScriptedServer.Echo(held[0]), " ka O4000000000", StringComparison.Ordinal)));
        await using var client = new MemcachedClient(role, new MemcachedClientOptions { Servers = server.ConnectionString, ConnectionsPerServer = 1, OperationTimeout = TimeSpan.FromSeconds(2) });

        Task<byte[]?>[] callers = [client.GetAsync("a").AsTask(), client.GetAsync("b").AsTask(), client.GetAsync("c").AsTask()];

        foreach (var caller in callers)
        {
            await Assert.ThrowsAsync<MemcachedProtocolException>(() => caller);
        }

        Assert.Equal(Enumerable.Repeat(nameof(MemcachedProtocolException), 3), errors);
    }

    [Fact]
    public async Task An_answer_with_its_own_token_but_another_key_is_refused()
    {
        await using var server = new ScriptedServer(HoldThen(1, held => ValueOf(held[0]).Replace(" ka ", " kz ", StringComparison.Ordinal)));
        await using var client = Client(server);

        var error = await Assert.ThrowsAsync<MemcachedProtocolException>(async () => await client.GetAsync("a"));

        Assert.Contains("another key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stray_answer_to_a_text_command_fails_it_instead_of_answering_the_next_one()
    {
        await using var server = new ScriptedServer((connection, line) => line switch
        {
            "stats settings" => ScriptedServer.Send("STAT item_size_max 1048576\r\nEND\r\n"),
            "version" when connection == 1 => ScriptedServer.Send("VERSION 1.6.18\r\nVERSION 1.6.18\r\n"),
            "version" => ScriptedServer.Send("VERSION 1.6.18\r\n"),
            _ => ScriptedServer.Send("MN\r\n"),
        });
        await using var client = Client(server);

        var first = Assert.Single(await client.GetVersionsAsync());
        var second = Assert.Single(await client.GetVersionsAsync());

        Assert.IsType<MemcachedProtocolException>(first.Error);
        Assert.Equal(("1.6.18", null), (second.Version, second.Error));
        Assert.Equal(2, server.Connections);
    }

    [Theory]
    [InlineData("1048576", 8 * 1024 * 1024)]
    [InlineData("1048576", 1073741824)]
    [InlineData(null, 1073741824)]
    public async Task A_value_larger_than_the_server_can_hold_is_refused_before_anything_is_allocated_for_it(string? itemSizeMax, int announced)
    {
        // Only the header is sent: a client that believed it would wait for the data and time out, holding a buffer that large.
        await using var server = new ScriptedServer((connection, line) => line switch
        {
            "stats settings" => ScriptedServer.Send(itemSizeMax is null ? "ERROR\r\n" : $"STAT item_size_max {itemSizeMax}\r\nEND\r\n"),
            "mn" => ScriptedServer.Send("MN\r\n"),
            _ when connection == 1 => ScriptedServer.Send($"VA {announced}{ScriptedServer.Echo(line)}\r\n"),
            _ => ScriptedServer.Send($"VA 2{ScriptedServer.Echo(line)}\r\nok\r\n"),
        });
        await using var client = Client(server);

        var error = await Assert.ThrowsAsync<MemcachedProtocolException>(async () => await client.GetAsync("k"));

        Assert.Contains($"announcing {announced} bytes", error.Message, StringComparison.Ordinal);
        Assert.Equal("ok"u8.ToArray(), await client.GetAsync("k"));
        Assert.Equal(2, server.Connections);
    }
}
