using System.Diagnostics;
using System.Globalization;
using DualCache.Memcached.Connections;
using DualCache.Memcached.Diagnostics;
using DualCache.Memcached.Protocol;
using Microsoft.Extensions.Logging;

namespace DualCache.Memcached.Servers;

/// <summary>
/// One server of a role: a few shared connections, and its health. A server that fails is marked dead and not tried
/// again until its backoff (doubling per failure) has passed; the first connection that succeeds after that brings it back.
/// </summary>
internal sealed partial class MemcachedServer : IAsyncDisposable
{
    private static readonly byte[] StatsSettings = "stats settings\r\n"u8.ToArray();
    private static readonly byte[] NoOp = "mn\r\n"u8.ToArray();

    private readonly MemcachedClientOptions _options;
    private readonly ILogger _logger;
    private readonly MemcachedConnection?[] _connections;
    private readonly SemaphoreSlim[] _connecting;
    private readonly Lock _healthLock = new();
    private int _next;
    private long _retryAt;
    private int _failures;
    private long _itemSizeMax = -1;
    private int _disposed;

    public MemcachedServer(MemcachedEndPoint endPoint, string clientName, MemcachedClientOptions options, MemcachedMetrics? metrics, ILogger logger)
    {
        EndPoint = endPoint;
        _options = options;
        _logger = logger;
        _connections = new MemcachedConnection?[options.ConnectionsPerServer];
        _connecting = [.. Enumerable.Range(0, options.ConnectionsPerServer).Select(_ => new SemaphoreSlim(1, 1))];
        Telemetry = new ServerTelemetry(clientName, endPoint, options.DisableMetrics ? null : metrics, !options.DisableTracing);
    }

    public MemcachedEndPoint EndPoint { get; }

    public ServerTelemetry Telemetry { get; }

    /// <summary>False while the server is dead and its retry is not yet due.</summary>
    public bool IsAvailable => Volatile.Read(ref _retryAt) <= Stopwatch.GetTimestamp();

    /// <summary>
    /// The largest value this server stores under a key of the given stored length, from its <c>item_size_max</c>;
    /// -1 until a connection has asked. memcached counts an item's header, CAS, key, and client flags (when not zero)
    /// against the limit.
    /// </summary>
    public long MaxValueLength(int keyLength, uint flags)
    {
        var itemSizeMax = Volatile.Read(ref _itemSizeMax);
        return itemSizeMax < 0 ? -1 : itemSizeMax - ItemOverhead - keyLength - (flags == 0 ? 0 : ClientFlagsLength);
    }

    /// <summary>memcached 1.6's per-item bytes besides key and value: the item header, the CAS, and the data's CRLF.</summary>
    internal const int ItemOverhead = 48 + 8 + 1 + 2;

    /// <summary>Non-zero client flags are stored in the item: 4 more bytes (measured on memcached 1.6.18).</summary>
    internal const int ClientFlagsLength = 4;

    /// <summary>A connection, round-robin; completes synchronously unless one has to be opened.</summary>
    public ValueTask<MemcachedConnection> GetConnectionAsync(CancellationToken cancellationToken)
    {
        var slot = (int)((uint)Interlocked.Increment(ref _next) % (uint)_connections.Length);
        var connection = Volatile.Read(ref _connections[slot]);
        return connection is { IsOpen: true } ? new(connection) : new(ConnectAsync(slot, cancellationToken));
    }

    public async ValueTask DisposeAsync()
    {
        // Set before the slots are read: a connect that finishes meanwhile sees it and closes its own connection.
        Interlocked.Exchange(ref _disposed, 1);
        foreach (var connection in _connections)
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }
    }

    private async Task<MemcachedConnection> ConnectAsync(int slot, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        ThrowIfDead();
        await _connecting[slot].WaitAsync(cancellationToken);
        try
        {
            if (_connections[slot] is { IsOpen: true } existing)
            {
                return existing;
            }

            ThrowIfDead();
            var connection = await MemcachedConnection.OpenAsync(EndPoint, _options, _logger, OnConnectionFault, cancellationToken);
            try
            {
                // A connection counts only once the server has answered on it: a frozen server still accepts TCP
                // connections, and without this every request to it would wait out the full timeout.
                await ProveAsync(connection, cancellationToken);
            }
            catch
            {
                await connection.DisposeAsync();
                throw;
            }

            Interlocked.Exchange(ref _connections[slot], connection);
            if (Volatile.Read(ref _disposed) != 0)
            {
                // Disposed while this connection was being opened: do not leave it running.
                await connection.DisposeAsync();
                throw new ObjectDisposedException(nameof(MemcachedClient));
            }

            MarkAlive();
            return connection;
        }
        catch (MemcachedException exception)
        {
            MarkDead(exception);
            throw;
        }
        finally
        {
            _connecting[slot].Release();
        }
    }

    /// <summary>One round trip on a new connection: <c>stats settings</c> while the item size limit is unknown, else <c>mn</c>.</summary>
    private async Task ProveAsync(MemcachedConnection connection, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _itemSizeMax) >= 0)
        {
            var noOp = new TextOperation("mn", NoOp, ResponseKind.NoOp);
            noOp.Start(default, cancellationToken);
            connection.Send(noOp, []);
            await noOp.Task;
            return;
        }

        var stats = new StatsOperation(StatsSettings);
        stats.Start(default, cancellationToken);
        connection.Send(stats, []);
        try
        {
            var settings = await stats.Task;
            if (settings.TryGetValue("item_size_max", out var text) && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var itemSizeMax))
            {
                Volatile.Write(ref _itemSizeMax, itemSizeMax);
            }
        }
        catch (MemcachedException exception) when (exception is not MemcachedTimeoutException && connection.IsOpen)
        {
            // A server (or proxy) that answers, but not to "stats settings", is still usable; it alone then checks value sizes.
            LogItemSizeUnknown(_logger, Telemetry.ClientName, EndPoint, exception.Message);
        }
    }

    private void ThrowIfDead()
    {
        var retryAt = Volatile.Read(ref _retryAt);
        var now = Stopwatch.GetTimestamp();
        if (retryAt > now)
        {
            throw new MemcachedServerUnavailableException(
                $"memcached at {EndPoint} is marked dead after {_failures} failure(s); the next try is in {Stopwatch.GetElapsedTime(now, retryAt).TotalMilliseconds:0} ms.");
        }
    }

    private void OnConnectionFault(MemcachedConnection connection, Exception exception)
    {
        // A timeout or a garbled answer costs that connection only; a refused or broken socket means the server is gone.
        if (exception is MemcachedServerUnavailableException)
        {
            MarkDead(exception);
        }
    }

    private void MarkDead(Exception exception)
    {
        TimeSpan backoff;
        lock (_healthLock)
        {
            _failures++;
            var factor = Math.Pow(2, Math.Min(_failures - 1, 20));
            backoff = TimeSpan.FromTicks((long)Math.Min(_options.DeadServerRetryInitial.Ticks * factor, _options.DeadServerRetryMax.Ticks));
            Volatile.Write(ref _retryAt, Stopwatch.GetTimestamp() + (long)(backoff.TotalSeconds * Stopwatch.Frequency));
        }

        LogServerDead(_logger, Telemetry.ClientName, EndPoint, backoff, exception.Message);
    }

    private void MarkAlive()
    {
        int failures;
        lock (_healthLock)
        {
            failures = _failures;
            _failures = 0;
            Volatile.Write(ref _retryAt, 0);
        }

        if (failures > 0)
        {
            LogServerBack(_logger, Telemetry.ClientName, EndPoint, failures);
        }
    }

    [LoggerMessage(EventId = 12, Level = LogLevel.Warning, Message = "memcached '{Client}' server {EndPoint} did not tell its item size limit, so oversized values are left to the server to refuse: {Reason}")]
    private static partial void LogItemSizeUnknown(ILogger logger, string client, MemcachedEndPoint endPoint, string reason);

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "memcached '{Client}' server {EndPoint} marked dead; next try in {Backoff}: {Reason}")]
    private static partial void LogServerDead(ILogger logger, string client, MemcachedEndPoint endPoint, TimeSpan backoff, string reason);

    [LoggerMessage(EventId = 11, Level = LogLevel.Information, Message = "memcached '{Client}' server {EndPoint} is back after {Failures} failure(s)")]
    private static partial void LogServerBack(ILogger logger, string client, MemcachedEndPoint endPoint, int failures);
}
