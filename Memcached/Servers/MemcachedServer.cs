using System.Diagnostics;
using System.Globalization;
using DualCache.Memcached.Connections;
using DualCache.Memcached.Diagnostics;
using Microsoft.Extensions.Logging;

namespace DualCache.Memcached.Servers;

/// <summary>
/// One server of a role: a few shared connections, and its health. A server that fails is marked dead and not tried
/// again until its backoff (doubling per failure) has passed; the first connection that succeeds after that brings it back.
/// </summary>
internal sealed partial class MemcachedServer : IAsyncDisposable
{
    private static readonly byte[] StatsSettings = "stats settings\r\n"u8.ToArray();

    private readonly MemcachedClientOptions _options;
    private readonly ILogger _logger;
    private readonly MemcachedConnection?[] _connections;
    private readonly SemaphoreSlim[] _connecting;
    private readonly Lock _healthLock = new();
    private int _next;
    private long _retryAt;
    private int _failures;
    private long _lastFailureAt;
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
        ThrowIfDisposed();
        ThrowIfDead();
        await _connecting[slot].WaitAsync(cancellationToken);
        try
        {
            if (_connections[slot] is { IsOpen: true } existing)
            {
                return existing;
            }

            // Callers queued behind a failed attempt fail here without counting it again.
            ThrowIfDisposed();
            ThrowIfDead();
            var attemptStarted = Stopwatch.GetTimestamp();
            MemcachedConnection connection;
            try
            {
                connection = await MemcachedConnection.OpenAsync(EndPoint, _options, _logger, cancellationToken);
            }
            catch (MemcachedException exception)
            {
                MarkDead(exception, attemptStarted);
                throw;
            }

            try
            {
                // A connection counts only once the server has answered on it: a frozen server still accepts TCP
                // connections, and without this every request to it would wait out the full timeout.
                await ProveAsync(connection, cancellationToken);
            }
            catch (Exception exception)
            {
                await connection.DisposeAsync();
                if (exception is MemcachedException failure)
                {
                    MarkDead(failure, attemptStarted);
                }

                throw;
            }

            Interlocked.Exchange(ref _connections[slot], connection);
            if (Volatile.Read(ref _disposed) != 0)
            {
                // Disposed while this connection was being opened: do not leave it running.
                await connection.DisposeAsync();
                ThrowIfDisposed();
            }

            MarkAlive();
            return connection;
        }
        finally
        {
            _connecting[slot].Release();
        }
    }

    /// <summary>
    /// One round trip on a new connection, which also reads the item size limit (again: a restarted server may have
    /// another <c>-I</c>).
    /// </summary>
    private async Task ProveAsync(MemcachedConnection connection, CancellationToken cancellationToken)
    {
        var stats = new StatsOperation(StatsSettings);
        stats.Start(default, cancellationToken);
        connection.Send(stats, []);
        try
        {
            var settings = await stats.Task;
            if (settings.TryGetValue("item_size_max", out var text) && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var itemSizeMax) && itemSizeMax > 0)
            {
                Volatile.Write(ref _itemSizeMax, itemSizeMax);
            }
        }
        catch (MemcachedException exception) when (exception is not MemcachedTimeoutException && connection.IsOpen)
        {
            // A server (or proxy) that answers, but not to "stats settings", is still usable; it alone then checks value sizes.
            LogItemSizeUnknown(_logger, Telemetry.ClientName, EndPoint, exception.Message);
        }

        // A value never reaches item_size_max (its header and key count too), so an announced size beyond it is a lie,
        // refused before a byte is allocated for it.
        if (Volatile.Read(ref _itemSizeMax) is > 0 and var limit)
        {
            connection.MaxValueLength = limit;
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, typeof(MemcachedClient));

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

    /// <summary>
    /// Counts one failed connect attempt. Only connects decide a server's health: a connection that breaks later (the
    /// server restarted, or closed it for idleness) costs a reconnect, and that reconnect tells whether it is down.
    /// Attempts on other slots that began before this one was counted do not count again.
    /// </summary>
    private void MarkDead(Exception exception, long attemptStarted)
    {
        TimeSpan backoff;
        lock (_healthLock)
        {
            if (_lastFailureAt >= attemptStarted)
            {
                return;
            }

            _failures++;
            _lastFailureAt = Stopwatch.GetTimestamp();
            var factor = Math.Pow(2, Math.Min(_failures - 1, 20));
            backoff = TimeSpan.FromTicks((long)Math.Min(_options.DeadServerRetryInitial.Ticks * factor, _options.DeadServerRetryMax.Ticks));
            Volatile.Write(ref _retryAt, _lastFailureAt + (long)(backoff.TotalSeconds * Stopwatch.Frequency));
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
