using System.Net.Sockets;
using DualCache.Memcached;
using DualCache.Tests.EndToEnd;
using Microsoft.Extensions.Logging;

namespace DualCache.Tests.Connections;

/// <summary>
/// A logging provider is the app's code too, and the client logs on a caller's way to a connection when a server
/// changes state, and on a connection's own thread when it fails. One that throws must cost the caller nothing but the
/// message: a server that fails still fails with a <see cref="MemcachedException"/>, which the app's fallbacks catch,
/// a server that works still answers, and the process goes on.
/// </summary>
[Collection(ServerGaugeReaders.Name)]
public sealed class LoggingFailureTests
{
    [Fact]
    public async Task A_throwing_logger_leaves_a_dead_server_unavailable_and_a_server_that_is_back_answering()
    {
        // The first connection is hung up on before it answers: the server is marked dead. The second one answers: it is back.
        await using var server = new ScriptedServer((connection, line) => connection == 1
            ? HangUp
            : ConnectionResilienceTests.SettingsThen(line, ScriptedServer.Send($"VA 2{ScriptedServer.Echo(line)}\r\nok\r\n")));
        var logger = new ThrowingLoggerProvider();
        using var logging = new LoggerFactory([logger]);
        await using var client = new MemcachedClient("logging-dead", Options(server), logging);

        await Assert.ThrowsAsync<MemcachedServerUnavailableException>(async () => await client.GetAsync("k"));
        Assert.Equal(1, logger.Thrown);

        await Task.Delay(Options(server).DeadServerRetryInitial * 2);
        Assert.Equal("ok"u8.ToArray(), await client.GetAsync("k"));
        Assert.Equal(2, logger.Thrown);
        Assert.Equal(2, server.Connections);
    }

    [Fact]
    public async Task A_throwing_logger_leaves_a_server_that_does_not_tell_its_item_size_usable()
    {
        await using var server = ConnectionResilienceTests.SilentOnItemSize();
        var logger = new ThrowingLoggerProvider();
        using var logging = new LoggerFactory([logger]);
        await using var client = new MemcachedClient("logging-size", Options(server), logging);

        Assert.Equal("ok"u8.ToArray(), await client.GetAsync("k"));
        Assert.Equal(1, logger.Thrown);
        Assert.Equal(1, server.Connections);
    }

    [Fact]
    public async Task A_throwing_logger_on_the_connection_s_own_thread_leaves_the_caller_its_protocol_error()
    {
        // The first connection answers garbage: the reader logs the violation on its own thread, where an exception
        // would end the process. The second one answers.
        await using var server = new ScriptedServer((connection, line) => ConnectionResilienceTests.SettingsThen(line, connection == 1
            ? ScriptedServer.Send("HELLO THERE\r\n")
            : ScriptedServer.Send($"VA 2{ScriptedServer.Echo(line)}\r\nok\r\n")));
        var logger = new ThrowingLoggerProvider();
        using var logging = new LoggerFactory([logger]);
        await using var client = new MemcachedClient("logging-reader", Options(server), logging);

        await Assert.ThrowsAsync<MemcachedProtocolException>(async () => await client.GetAsync("k"));
        Assert.Equal("ok"u8.ToArray(), await client.GetAsync("k"));

        // Logged after its callers were failed, so it may come a moment after.
        Assert.Equal(1, await Scenario.EventuallyAsync(() => Task.FromResult(logger.Thrown), thrown => thrown > 0, TimeSpan.FromSeconds(10)));
        Assert.Equal(2, server.Connections);
    }

    private static Task HangUp(NetworkStream stream)
    {
        stream.Socket.Shutdown(SocketShutdown.Both);
        return Task.CompletedTask;
    }

    private static MemcachedClientOptions Options(ScriptedServer server) => new()
    {
        Servers = server.ConnectionString,
        ConnectionsPerServer = 1,
        OperationTimeout = TimeSpan.FromSeconds(2),
        DeadServerRetryInitial = TimeSpan.FromMilliseconds(50),
    };

    private sealed class ThrowingLoggerProvider : ILoggerProvider, ILogger
    {
        private int _thrown;

        public int Thrown => Volatile.Read(ref _thrown);

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            Interlocked.Increment(ref _thrown);
            throw new InvalidOperationException($"the logger broke on: {formatter(state, exception)}");
        }

        public void Dispose()
        {
        }
    }
}
