using System.Net;
using System.Net.Sockets;
using System.Text;

namespace DualCache.Tests.Connections;

/// <summary>
/// A loopback TCP peer that answers each request line with whatever a test scripts, to put the connection layer
/// through what a real memcached never sends: garbage, dribbled bytes, answers nobody asked for.
/// </summary>
public sealed class ScriptedServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<int, string, Func<NetworkStream, Task>> _answer;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _connections;

    /// <param name="answer">Given the connection number and the request line, how to answer.</param>
    public ScriptedServer(Func<int, string, Func<NetworkStream, Task>> answer)
    {
        _answer = answer;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public string ConnectionString => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    public int Connections => Volatile.Read(ref _connections);

    public static Func<NetworkStream, Task> Send(string text) => stream => stream.WriteAsync(Encoding.ASCII.GetBytes(text)).AsTask();

    /// <summary>What memcached echoes of a meta request: its key when asked (<c>k</c>) and its opaque token, as " kfoo O12".</summary>
    public static string Echo(string requestLine)
    {
        var parts = requestLine.Split(' ');
        var key = parts.Contains("k") ? $" k{parts[1]}" : "";
        var opaque = parts.Skip(2).FirstOrDefault(part => part.StartsWith('O')) is { } token ? $" {token}" : "";
        return key + opaque;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var socket = await _listener.AcceptSocketAsync(_stop.Token);
            var number = Interlocked.Increment(ref _connections);
            _ = ServeAsync(socket, number);
        }
    }

    private async Task ServeAsync(Socket socket, int number)
    {
        using var stream = new NetworkStream(socket, ownsSocket: true);
        using var reader = new StreamReader(stream, Encoding.ASCII);
        try
        {
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                if (line.StartsWith("ms ", StringComparison.Ordinal))
                {
                    await reader.ReadLineAsync(_stop.Token);
                }

                await _answer(number, line)(stream);
            }
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException)
        {
        }
    }
}
