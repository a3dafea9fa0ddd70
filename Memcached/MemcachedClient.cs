using System.Buffers.Text;
using DualCache.Memcached.Connections;
using DualCache.Memcached.Diagnostics;
using DualCache.Memcached.Protocol;
using DualCache.Memcached.Servers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace DualCache.Memcached;

/// <summary>
/// The memcached client for one role. Thread-safe and meant to live as long as the app: every caller shares a few
/// pipelined connections per server.
/// </summary>
public sealed partial class MemcachedClient : IMemcachedClient, IAsyncDisposable
{
    private static readonly byte[] StatsCommand = "stats\r\n"u8.ToArray();
    private static readonly byte[] FlushCommand = "flush_all\r\n"u8.ToArray();
    private static readonly TimeSpan StatsMaxAge = TimeSpan.FromSeconds(5);

    private readonly KeyEncoding _keys;
    private readonly ServerPool _pool;
    private readonly TimeProvider _time;
    private readonly MemcachedMetrics? _metrics;
    private readonly int _replicas;
    private IReadOnlyList<MemcachedServerStats> _latestStats = [];
    private long _latestStatsAt;
    private int _refreshingStats;

    public MemcachedClient(string name, MemcachedClientOptions options, ILoggerFactory? loggerFactory = null, MemcachedMetrics? metrics = null, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(options);
        var validation = new MemcachedClientOptionsValidator(name).Validate(name, options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(name, typeof(MemcachedClientOptions), validation.Failures);
        }

        Name = name;
        _time = timeProvider ?? TimeProvider.System;
        _keys = new KeyEncoding(options.KeyPrefix);
        _metrics = options.DisableMetrics ? null : metrics ?? MemcachedMetrics.Shared;
        var logger = new ContainedLogger((loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<MemcachedClient>());
        var endPoints = options.ParseServers();
        Servers = endPoints;
        _replicas = Math.Min(options.Replicas, endPoints.Count);
        _pool = new ServerPool([.. endPoints.Select(e => new MemcachedServer(e, name, options, _metrics, logger))], options.EjectDeadServers);
        _metrics?.Observe(this);
    }

    public string Name { get; }

    public IReadOnlyList<MemcachedEndPoint> Servers { get; }

    public ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default) => _replicas > 1
        ? ReadValueFromReplicasAsync(key, cancellationToken)
        : Execute("get", key, new MetaRequest(MetaCommand.Get, MetaRequestFlags.ReturnValue), static r => r.Value, cancellationToken);

    public ValueTask<MemcachedItem?> GetItemAsync(string key, CancellationToken cancellationToken = default) => _replicas > 1
        ? ReadFromReplicasAsync("get", key, null, cancellationToken)
        : Execute("get", key, new MetaRequest(MetaCommand.Get, ItemFlags), ToItem, cancellationToken);

    public ValueTask<MemcachedItem?> GetAndTouchAsync(string key, TimeSpan? expiry, CancellationToken cancellationToken = default) => _replicas > 1
        ? ReadFromReplicasAsync("get_and_touch", key, Expiry.ToWire(expiry, _time), cancellationToken)
        : Execute("get_and_touch", key, new MetaRequest(MetaCommand.Get, ItemFlags, Ttl: Expiry.ToWire(expiry, _time)), ToItem, cancellationToken);

    public async Task<IReadOnlyDictionary<string, MemcachedItem>> GetManyAsync(IEnumerable<string> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (_replicas > 1)
        {
            return await GetManyFromReplicasAsync(keys, cancellationToken);
        }

        var batches = new Dictionary<MemcachedServer, (List<EncodedKey> Encoded, List<string> Keys)>();
        var wireKey = new byte[KeyEncoding.MaxWireKeyLength];
        foreach (var key in keys.Distinct(StringComparer.Ordinal))
        {
            var length = _keys.Encode(key, wireKey, out var base64);
            var server = _pool.Locate(wireKey.AsSpan(0, length));
            if (!batches.TryGetValue(server, out var batch))
            {
                batches[server] = batch = ([], []);
            }

            batch.Encoded.Add(new EncodedKey(wireKey[..length], base64));
            batch.Keys.Add(key);
        }

        var sent = batches.Select(async pair =>
        {
            var operation = new BatchGetOperation(pair.Value.Encoded);
            var hits = await SendAsync(pair.Key, operation, "get_many", cancellationToken);
            return hits.Select(hit => KeyValuePair.Create(pair.Value.Keys[hit.Index], hit.Item));
        });
        var results = new Dictionary<string, MemcachedItem>(StringComparer.Ordinal);
        foreach (var hits in await Task.WhenAll(sent))
        {
            foreach (var (key, item) in hits)
            {
                results[key] = item;
            }
        }

        return results;
    }

    public ValueTask SetAsync(string key, ReadOnlyMemory<byte> value, TimeSpan? expiry = null, uint flags = 0, CancellationToken cancellationToken = default)
    {
        var request = new MetaRequest(MetaCommand.Set, MetaRequestFlags.None, Expiry.ToWire(expiry, _time), flags);
        Func<MetaResult, StoreResult> project = static r => r.Kind == ResponseKind.Header
            ? StoreResult.Stored
            : throw new MemcachedException($"memcached did not store the value ({r.Kind}).");
        return _replicas > 1
            ? new ValueTask(ReplicateAsync("set", key, request with { Value = value }, project, ReplicaWrite.Everywhere, static r => r == StoreResult.Stored, cancellationToken).AsTask())
            : Store("set", key, value, request, project, cancellationToken).Completion;
    }

    public ValueTask<StoreResult> AddAsync(string key, ReadOnlyMemory<byte> value, TimeSpan? expiry = null, uint flags = 0, CancellationToken cancellationToken = default) =>
        StoreOrReplicate("add", key, value, new MetaRequest(MetaCommand.Set, MetaRequestFlags.None, Expiry.ToWire(expiry, _time), flags, Mode: MetaRequest.ModeAdd), static r => r.Kind switch
        {
            ResponseKind.Header => StoreResult.Stored,
            ResponseKind.NotStored => StoreResult.AlreadyExists,
            _ => throw Unexpected(r, "add"),
        }, ReplicaWrite.PrimaryFirst, cancellationToken);

    public ValueTask<StoreResult> ReplaceAsync(string key, ReadOnlyMemory<byte> value, TimeSpan? expiry = null, uint flags = 0, CancellationToken cancellationToken = default) =>
        StoreOrReplicate("replace", key, value, new MetaRequest(MetaCommand.Set, MetaRequestFlags.None, Expiry.ToWire(expiry, _time), flags, Mode: MetaRequest.ModeReplace), static r => r.Kind switch
        {
            ResponseKind.Header => StoreResult.Stored,
            ResponseKind.NotStored => StoreResult.NotFound,
            _ => throw Unexpected(r, "replace"),
        }, ReplicaWrite.Everywhere, cancellationToken);

    public ValueTask<StoreResult> CompareAndSwapAsync(string key, ReadOnlyMemory<byte> value, ulong cas, TimeSpan? expiry = null, uint flags = 0, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfZero(cas);
        return StoreOrReplicate("cas", key, value, new MetaRequest(MetaCommand.Set, MetaRequestFlags.None, Expiry.ToWire(expiry, _time), flags, Cas: cas), static r => r.Kind switch
        {
            ResponseKind.Header => StoreResult.Stored,
            ResponseKind.Exists => StoreResult.CasMismatch,
            ResponseKind.NotFound => StoreResult.NotFound,
            _ => throw Unexpected(r, "cas"),
        }, ReplicaWrite.PrimaryFirst, cancellationToken);
    }

    /// <summary>Deletes a key only if it still has the CAS token read earlier (<c>md</c> with <c>C</c>).</summary>
    internal ValueTask<bool> DeleteIfUnchangedAsync(string key, ulong cas, CancellationToken cancellationToken) =>
        ExecuteOrReplicate("delete", key, new MetaRequest(MetaCommand.Delete, MetaRequestFlags.None, Cas: cas), static r => r.Kind == ResponseKind.Header, ReplicaWrite.PrimaryFirst, cancellationToken);

    public ValueTask<bool> DeleteAsync(string key, CancellationToken cancellationToken = default) =>
        ExecuteOrReplicate("delete", key, new MetaRequest(MetaCommand.Delete, MetaRequestFlags.None), static r => r.Kind == ResponseKind.Header, ReplicaWrite.Everywhere, cancellationToken);

    public ValueTask<bool> TouchAsync(string key, TimeSpan? expiry, CancellationToken cancellationToken = default) =>
        ExecuteOrReplicate("touch", key, new MetaRequest(MetaCommand.Get, MetaRequestFlags.None, Ttl: Expiry.ToWire(expiry, _time)), static r => r.IsHit, ReplicaWrite.Everywhere, cancellationToken);

    /// <summary>A key's remaining lifetime in seconds (<c>mg</c> with <c>t</c>): -1 for none, <see langword="null"/> on a miss.</summary>
    internal ValueTask<long?> RemainingTtlAsync(string key, CancellationToken cancellationToken) =>
        Execute<long?>("get", key, new MetaRequest(MetaCommand.Get, MetaRequestFlags.ReturnTtl), static r => r.IsHit ? r.Ttl : null, cancellationToken);

    /// <summary>Reads an item with its remaining lifetime in seconds, -1 for none, from the key's own server (<c>mg</c> with <c>v f c t</c>).</summary>
    internal ValueTask<(MemcachedItem Item, long Ttl)?> GetWithRemainingTtlAsync(string key, CancellationToken cancellationToken) =>
        Execute<(MemcachedItem, long)?>("get", key, new MetaRequest(MetaCommand.Get, ItemFlags | MetaRequestFlags.ReturnTtl), static r => r.Value is { } value
            ? (new MemcachedItem(value, r.ClientFlags, r.Cas), r.Ttl)
            : null, cancellationToken);

    /// <summary>Resets a key's expiry and reads its client flags, without its value (<c>mg</c> with <c>f T</c>).</summary>
    internal ValueTask<uint?> TouchAndGetFlagsAsync(string key, TimeSpan? expiry, CancellationToken cancellationToken) =>
        ExecuteOrReplicate<uint?>("touch", key, new MetaRequest(MetaCommand.Get, MetaRequestFlags.ReturnClientFlags, Ttl: Expiry.ToWire(expiry, _time)), static r => r.IsHit ? r.ClientFlags : null, ReplicaWrite.Everywhere, cancellationToken);

    public ValueTask<ulong?> IncrementAsync(string key, ulong delta = 1, ulong? initialValue = null, TimeSpan? expiry = null, CancellationToken cancellationToken = default) =>
        Arithmetic("increment", key, delta, initialValue, expiry, MetaRequestFlags.None, cancellationToken);

    public ValueTask<ulong?> DecrementAsync(string key, ulong delta = 1, ulong? initialValue = null, TimeSpan? expiry = null, CancellationToken cancellationToken = default) =>
        Arithmetic("decrement", key, delta, initialValue, expiry, MetaRequestFlags.Decrement, cancellationToken);

    public async Task FlushAllAsync(CancellationToken cancellationToken = default)
    {
        var answers = await AskEveryServerAsync(() => new TextOperation("flush_all", FlushCommand, ResponseKind.Ok), "flush_all", cancellationToken);
        var failures = answers.Where(a => a.Error is not null).Select(a => $"{a.EndPoint}: {a.Error!.Message}").ToList();
        if (failures.Count > 0)
        {
            throw new MemcachedServerUnavailableException($"flush_all of '{Name}' failed on {failures.Count} of {answers.Length} server(s): {string.Join("; ", failures)}");
        }
    }

    public async Task<IReadOnlyList<MemcachedServerStats>> GetStatsAsync(CancellationToken cancellationToken = default)
    {
        var answers = await AskEveryServerAsync(() => new StatsOperation(StatsCommand), "stats", cancellationToken);
        IReadOnlyList<MemcachedServerStats> stats = [.. answers.Select(a => new MemcachedServerStats(a.EndPoint, a.Result ?? [], a.Error))];
        _latestStats = stats;
        Volatile.Write(ref _latestStatsAt, _time.GetTimestamp());
        return stats;
    }

    public async Task<IReadOnlyList<MemcachedServerVersion>> GetVersionsAsync(CancellationToken cancellationToken = default)
    {
        var answers = await AskEveryServerAsync(TextOperation.VersionQuery, "version", cancellationToken);
        return [.. answers.Select(a => new MemcachedServerVersion(a.EndPoint, a.Result, a.Error))];
    }

    public async ValueTask DisposeAsync()
    {
        _metrics?.StopObserving(this);
        await _pool.DisposeAsync();
    }

    /// <summary>
    /// The last stats read, for the metrics gauges, which must answer synchronously: a stale snapshot starts a refresh
    /// in the background, so stats cost nothing when nobody collects metrics.
    /// </summary>
    internal IReadOnlyList<MemcachedServerStats> LatestStats()
    {
        var readAt = Volatile.Read(ref _latestStatsAt);
        if ((readAt == 0 || _time.GetElapsedTime(readAt) > StatsMaxAge) && Interlocked.Exchange(ref _refreshingStats, 1) == 0)
        {
            _ = RefreshStatsAsync();
        }

        return _latestStats;
    }

    private const MetaRequestFlags ItemFlags = MetaRequestFlags.ReturnValue | MetaRequestFlags.ReturnClientFlags | MetaRequestFlags.ReturnCas;

    private static MemcachedItem? ToItem(MetaResult result) =>
        result.Value is { } value ? new MemcachedItem(value, result.ClientFlags, result.Cas) : null;

    private static MemcachedException Unexpected(MetaResult result, string operation) =>
        new($"memcached answered {operation} with {result.Kind}.");

    private async Task RefreshStatsAsync()
    {
        try
        {
            await GetStatsAsync();
        }
        finally
        {
            Volatile.Write(ref _refreshingStats, 0);
        }
    }

    private ValueTask<ulong?> Arithmetic(string operation, string key, ulong delta, ulong? initialValue, TimeSpan? expiry, MetaRequestFlags mode, CancellationToken cancellationToken)
    {
        var flags = MetaRequestFlags.ReturnValue | mode | (initialValue is null ? MetaRequestFlags.None : MetaRequestFlags.Vivify);
        var ttl = expiry is null ? (long?)null : Expiry.ToWire(expiry, _time);
        var request = new MetaRequest(MetaCommand.Arithmetic, flags, ttl, Delta: delta, Initial: initialValue ?? 0);
        return ExecuteOrReplicate<ulong?>(operation, key, request, static r => r.Value is { } digits
            ? Utf8Parser.TryParse(digits, out ulong number, out var used) && used == digits.Length
                ? number
                : throw new MemcachedProtocolException($"memcached answered ma with '{MetaProtocolParser.Printable(digits)}', which is not a number.")
            : null, ReplicaWrite.PrimaryOnly, cancellationToken);
    }

    private MetaOperation<TResult> Store<TResult>(string operation, string key, ReadOnlyMemory<byte> value, MetaRequest request, Func<MetaResult, TResult> project, CancellationToken cancellationToken)
    {
        var pending = MetaOperation<TResult>.Rent(request with { Value = value }, project);
        Dispatch(operation, key, pending, new ValueSize(value.Length, request.ClientFlags), cancellationToken);
        return pending;
    }

    private ValueTask<TResult> Execute<TResult>(string operation, string key, MetaRequest request, Func<MetaResult, TResult> project, CancellationToken cancellationToken)
    {
        var pending = MetaOperation<TResult>.Rent(request, project);
        Dispatch(operation, key, pending, ValueSize.None, cancellationToken);
        return pending.Task;
    }

    /// <summary>
    /// Encodes the key on the stack, finds its server and sends: no allocation besides the operation itself when the
    /// connection is open, which is the normal case.
    /// </summary>
    private void Dispatch<TResult>(string operation, string key, MetaOperation<TResult> pending, ValueSize value, CancellationToken cancellationToken)
    {
        Span<byte> buffer = stackalloc byte[KeyEncoding.MaxWireKeyLength];
        var length = _keys.Encode(key, buffer, out var base64);
        var wireKey = buffer[..length];
        DispatchTo(_pool.Locate(wireKey), operation, key, wireKey, base64, pending, value, cancellationToken);
    }

    private static void DispatchTo<TResult>(MemcachedServer server, string operation, string key, ReadOnlySpan<byte> wireKey, bool base64, MetaOperation<TResult> pending, ValueSize value, CancellationToken cancellationToken)
    {
        pending.Base64 = base64;
        if (cancellationToken.IsCancellationRequested)
        {
            // Nothing is sent for a caller that has already given up, so that a write it was told failed is not done.
            pending.FailUnsent(new OperationCanceledException(cancellationToken));
            return;
        }

        pending.Start(OperationTelemetry.Start(server.Telemetry, operation), cancellationToken);

        var connecting = server.GetConnectionAsync(cancellationToken);
        if (connecting.IsCompletedSuccessfully)
        {
            SendChecked(connecting.Result, server, key, wireKey, base64, value, pending);
        }
        else
        {
            _ = SendWhenConnectedAsync(connecting, server, key, wireKey.ToArray(), base64, value, pending, cancellationToken);
        }
    }

    private static async Task SendWhenConnectedAsync(ValueTask<MemcachedConnection> connecting, MemcachedServer server, string key, byte[] wireKey, bool base64, ValueSize value, PendingOperation pending, CancellationToken cancellationToken)
    {
        try
        {
            var connection = await connecting;

            // Cancelled while connecting: its caller has been told so already.
            cancellationToken.ThrowIfCancellationRequested();
            SendChecked(connection, server, key, wireKey, base64, value, pending);
        }
        catch (Exception exception)
        {
            pending.FailUnsent(exception);
        }
    }

    private static void SendChecked(MemcachedConnection connection, MemcachedServer server, string key, ReadOnlySpan<byte> wireKey, bool base64, ValueSize value, PendingOperation pending)
    {
        // Refuse an oversized value before it is sent: memcached would drop the key's current value along with the new one.
        if (value.Length >= 0 && server.MaxValueLength(KeyEncoding.StoredLength(wireKey, base64), value.Flags) is >= 0 and var limit && value.Length > limit)
        {
            pending.FailUnsent(new MemcachedValueTooLargeException(key, value.Length, limit));
            return;
        }

        connection.Send(pending, wireKey);
    }

    /// <summary>What the size check needs of a value being stored; <see cref="None"/> for operations that store none.</summary>
    private readonly record struct ValueSize(int Length, uint Flags)
    {
        public static ValueSize None => new(-1, 0);
    }

    /// <summary>Sends one operation to every server at once; a server that cannot answer is reported with its error, not thrown.</summary>
    private async Task<(MemcachedEndPoint EndPoint, TResult? Result, MemcachedException? Error)[]> AskEveryServerAsync<TResult>(
        Func<PendingOperation<TResult>> create, string operation, CancellationToken cancellationToken) =>
        await Task.WhenAll(_pool.Servers.Select(async server =>
        {
            try
            {
                return (server.EndPoint, await SendAsync(server, create(), operation, cancellationToken), (MemcachedException?)null);
            }
            catch (MemcachedException exception)
            {
                return (server.EndPoint, default(TResult), exception);
            }
        }));

    private static async Task<TResult> SendAsync<TResult>(MemcachedServer server, PendingOperation<TResult> pending, string operation, CancellationToken cancellationToken)
    {
        pending.Start(OperationTelemetry.Start(server.Telemetry, operation), cancellationToken);
        try
        {
            var connection = await server.GetConnectionAsync(cancellationToken);

            // A caller that has already given up (before or while connecting) has been told so: nothing is sent.
            cancellationToken.ThrowIfCancellationRequested();
            connection.Send(pending, []);
        }
        catch (Exception exception)
        {
            pending.FailUnsent(exception);
        }

        return await pending.Task;
    }
}
