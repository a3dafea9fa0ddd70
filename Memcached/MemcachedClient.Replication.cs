using DualCache.Memcached.Connections;
using DualCache.Memcached.Protocol;
using DualCache.Memcached.Servers;

namespace DualCache.Memcached;

/// <summary>
/// Replicated placement (<see cref="MemcachedClientOptions.Replicas"/> of 2 or more): every key lives on its server on
/// the ketama ring and the next distinct servers clockwise. The first of them that is up acts as the primary.
/// </summary>
/// <remarks>
/// Reads go to the acting primary; a sliding read touches the other copies in the same moment (sent side by side, not
/// one after the other), so it costs no extra round trip. A primary that fails or misses sends the read on to the next
/// copy, and a copy that answered a miss is repaired from the hit with the remaining lifetime, using <c>add</c> so
/// that it never overwrites a newer value. <c>set</c>, <c>replace</c>, <c>delete</c> and <c>touch</c> go to every copy
/// at once; <c>add</c> and compare-and-swap go to the acting primary first and are copied only once it accepted them,
/// so two writers racing for one key are decided by one server. Arithmetic stays on the acting primary.
/// </remarks>
public sealed partial class MemcachedClient
{
    private const MetaRequestFlags ReplicaReadFlags = ItemFlags | MetaRequestFlags.ReturnTtl;

    /// <summary>
    /// The writes a primary decides (add, compare-and-swap, delete with CAS) of one key go one at a time in this process,
    /// from the primary's answer through the copies' follow-up sets. Otherwise two that the primary took as A then B
    /// could reach a copy as B then A (each follows on its own connection and continuation), and the copies would end
    /// different: seen as a replicated counter left at 19 on one copy and 20 on the other. Writers in other processes
    /// are not ordered by this. Keys share 64 locks by hash.
    /// </summary>
    private readonly SemaphoreSlim[] _decidedWrites = [.. Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1))];

    /// <summary>How a write reaches the copies of a key.</summary>
    private enum ReplicaWrite
    {
        /// <summary>To every copy at once; the answer is the first copy's that succeeded.</summary>
        Everywhere,

        /// <summary>To the acting primary; once it succeeded, unconditionally to the other copies.</summary>
        PrimaryFirst,

        /// <summary>To the acting primary only.</summary>
        PrimaryOnly,
    }

    private ValueTask<StoreResult> StoreOrReplicate(string operation, string key, ReadOnlyMemory<byte> value, MetaRequest request, Func<MetaResult, StoreResult> project, ReplicaWrite replication, CancellationToken cancellationToken) =>
        _replicas > 1
            ? ReplicateAsync(operation, key, request with { Value = value }, project, replication, static r => r == StoreResult.Stored, cancellationToken)
            : Store(operation, key, value, request, project, cancellationToken).Task;

    private ValueTask<TResult> ExecuteOrReplicate<TResult>(string operation, string key, MetaRequest request, Func<MetaResult, TResult> project, ReplicaWrite replication, CancellationToken cancellationToken) =>
        _replicas > 1
            ? ReplicateAsync(operation, key, request, project, replication, static r => r is not null and not false, cancellationToken)
            : Execute(operation, key, request, project, cancellationToken);

    private async ValueTask<TResult> ReplicateAsync<TResult>(
        string operation, string key, MetaRequest request, Func<MetaResult, TResult> project, ReplicaWrite replication, Func<TResult, bool> succeeded, CancellationToken cancellationToken)
    {
        var copies = Replicas(key);
        if (replication != ReplicaWrite.Everywhere)
        {
            var decided = replication == ReplicaWrite.PrimaryFirst ? _decidedWrites[(uint)StringComparer.Ordinal.GetHashCode(key) % (uint)_decidedWrites.Length] : null;
            if (decided is not null)
            {
                await decided.WaitAsync(cancellationToken);
            }

            try
            {
                var (primary, result) = await SendToActingPrimaryAsync(copies, operation, key, request, project, cancellationToken);
                if (decided is not null && succeeded(result))
                {
                    // The primary decided; the copies follow it unconditionally (an add or a compare-and-swap becomes a set).
                    var follow = request with { Mode = 0, Cas = 0 };
                    var followName = request.Command == MetaCommand.Set ? "set" : operation;
                    await Task.WhenAll(copies.Others(primary).Select(server => Attempt(copies.SendAsync(server, followName, key, follow, project, cancellationToken))));
                }

                return result;
            }
            finally
            {
                decided?.Release();
            }
        }

        var answers = await Task.WhenAll(copies.Live().Select(server => Attempt(copies.SendAsync(server, operation, key, request, project, cancellationToken))));
        foreach (var (result, _) in answers)
        {
            if (result is { } answered && succeeded(answered))
            {
                return answered;
            }
        }

        foreach (var (result, error) in answers)
        {
            if (error is null)
            {
                return result!;
            }
        }

        throw answers[0].Error!;
    }

    /// <summary>
    /// Sends a write the acting primary decides. A primary found unreachable only now (it died a moment ago and is not
    /// yet marked dead) hands the decision to the next copy, as it would once marked: a write its copies can take
    /// does not fail for it. A compare-and-swap is then checked against the copy's own CAS value.
    /// </summary>
    private static async Task<(MemcachedServer Primary, TResult Result)> SendToActingPrimaryAsync<TResult>(
        ReplicaSet copies, string operation, string key, MetaRequest request, Func<MetaResult, TResult> project, CancellationToken cancellationToken)
    {
        var candidates = copies.Live();
        for (var next = 0; ; next++)
        {
            try
            {
                return (candidates[next], await copies.SendAsync(candidates[next], operation, key, request, project, cancellationToken));
            }
            catch (MemcachedServerUnavailableException) when (next + 1 < candidates.Count)
            {
            }
        }
    }

    private async ValueTask<byte[]?> ReadValueFromReplicasAsync(string key, CancellationToken cancellationToken) =>
        (await ReadFromReplicasAsync("get", key, null, cancellationToken))?.Value;

    /// <summary>Reads the acting primary and touches the other copies alongside; falls through to the next copy, and repairs the ones that missed.</summary>
    private async ValueTask<MemcachedItem?> ReadFromReplicasAsync(string operation, string key, long? ttl, CancellationToken cancellationToken)
    {
        var copies = Replicas(key);
        var read = new MetaRequest(MetaCommand.Get, ReplicaReadFlags, Ttl: ttl);
        var primary = copies.ActingPrimary();
        var first = Attempt(copies.SendAsync(primary, operation, key, read, static r => r, cancellationToken));
        var touches = ttl is null
            ? []
            : copies.Live().Where(server => server != primary)
                .Select(server => (Server: server, Answer: Attempt(copies.SendAsync(server, "touch", key, new MetaRequest(MetaCommand.Get, MetaRequestFlags.None, Ttl: ttl), static r => r.IsHit, cancellationToken))))
                .ToList();

        var (answer, error) = await first;
        var answered = error is null;
        var missed = new List<MemcachedServer>();
        MetaResult? hit = null;
        if (error is null)
        {
            if (answer.IsHit)
            {
                hit = answer;
            }
            else
            {
                missed.Add(primary);
            }
        }

        foreach (var (server, touch) in touches)
        {
            // A copy that answered a miss came back empty: repair it below. One that failed is left alone.
            if (await touch is (false, null))
            {
                answered = true;
                missed.Add(server);
            }
        }

        if (hit is null)
        {
            foreach (var server in copies.Live().Where(server => server != primary && !missed.Contains(server)))
            {
                var (next, nextError) = await Attempt(copies.SendAsync(server, operation, key, read, static r => r, cancellationToken));
                if (nextError is not null)
                {
                    error ??= nextError;
                    continue;
                }

                answered = true;
                if (next.IsHit)
                {
                    hit = next;
                    break;
                }

                missed.Add(server);
            }
        }

        if (hit is not { } found)
        {
            // Every copy that answered missed: a miss. No copy answered: the role cannot be reached for this key.
            return answered ? null : throw error ?? new MemcachedServerUnavailableException($"No server of '{Name}' holding '{key}' is available.");
        }

        if (missed.Count > 0)
        {
            await RepairAsync(copies, key, found, missed, _time, cancellationToken);
        }

        return ToItem(found);
    }

    /// <summary>Copies a hit to the copies that missed it, with its remaining lifetime; <c>add</c>, so a newer value that arrived meanwhile stays.</summary>
    private static async Task RepairAsync(ReplicaSet copies, string key, MetaResult found, List<MemcachedServer> missed, TimeProvider time, CancellationToken cancellationToken)
    {
        var repair = new MetaRequest(
            MetaCommand.Set,
            MetaRequestFlags.None,
            Ttl: Expiry.ToWire(Expiry.Remaining(found.Ttl), time),
            ClientFlags: found.ClientFlags,
            Mode: MetaRequest.ModeAdd,
            Value: found.Value);
        await Task.WhenAll(missed.Select(server => Attempt(copies.SendAsync(server, "repair", key, repair, static r => r.Kind, cancellationToken))));
    }

    private async Task<IReadOnlyDictionary<string, MemcachedItem>> GetManyFromReplicasAsync(IEnumerable<string> keys, CancellationToken cancellationToken)
    {
        var distinct = keys.Distinct(StringComparer.Ordinal).ToList();
        var items = await Task.WhenAll(distinct.Select(key => ReadFromReplicasAsync("get_many", key, null, cancellationToken).AsTask()));
        var results = new Dictionary<string, MemcachedItem>(StringComparer.Ordinal);
        for (var i = 0; i < distinct.Count; i++)
        {
            if (items[i] is { } item)
            {
                results[distinct[i]] = item;
            }
        }

        return results;
    }

    private ReplicaSet Replicas(string key)
    {
        var wireKey = new byte[KeyEncoding.MaxWireKeyLength];
        var length = _keys.Encode(key, wireKey, out var base64);
        return new ReplicaSet(wireKey[..length], base64, _pool.LocateReplicas(wireKey.AsSpan(0, length), _replicas));
    }

    /// <summary>An answer or the memcached error that came instead, so that one copy's failure does not hide the others' answers.</summary>
    private static async Task<(T? Result, MemcachedException? Error)> Attempt<T>(ValueTask<T> operation)
    {
        try
        {
            return (await operation, null);
        }
        catch (MemcachedException exception)
        {
            return (default, exception);
        }
    }

    /// <summary>A key, encoded once, and the servers holding its copies in ring order.</summary>
    private readonly record struct ReplicaSet(byte[] WireKey, bool Base64, MemcachedServer[] Servers)
    {
        /// <summary>The first copy whose server is up; the key's own server when none is, so that the caller gets its error.</summary>
        public MemcachedServer ActingPrimary() => Servers.FirstOrDefault(server => server.IsAvailable) ?? Servers[0];

        /// <summary>The copies whose servers are up, in ring order; the key's own server when none is.</summary>
        public List<MemcachedServer> Live()
        {
            var live = Servers.Where(server => server.IsAvailable).ToList();
            return live.Count > 0 ? live : [Servers[0]];
        }

        public IEnumerable<MemcachedServer> Others(MemcachedServer primary) => Servers.Where(server => server != primary && server.IsAvailable);

        public ValueTask<TResult> SendAsync<TResult>(MemcachedServer server, string operation, string key, MetaRequest request, Func<MetaResult, TResult> project, CancellationToken cancellationToken)
        {
            var pending = MetaOperation<TResult>.Rent(request, project);
            var size = request.Command == MetaCommand.Set ? new ValueSize(request.Value.Length, request.ClientFlags) : ValueSize.None;
            DispatchTo(server, operation, key, WireKey, Base64, pending, size, cancellationToken);
            return pending.Task;
        }
    }
}
