namespace DualCache.Memcached.Servers;

/// <summary>The servers of one role and which of them owns a key.</summary>
internal sealed class ServerPool : IAsyncDisposable
{
    private readonly KetamaRing? _ring;
    private readonly bool _ejectDeadServers;
    private readonly Func<int, bool> _isAvailable;

    public ServerPool(IReadOnlyList<MemcachedServer> servers, bool ejectDeadServers)
    {
        Servers = servers;
        _ejectDeadServers = ejectDeadServers;
        _ring = servers.Count > 1 ? new KetamaRing([.. servers.Select(s => s.EndPoint)]) : null;
        _isAvailable = index => Servers[index].IsAvailable;
    }

    public IReadOnlyList<MemcachedServer> Servers { get; }

    public MemcachedServer Locate(ReadOnlySpan<byte> wireKey)
    {
        if (_ring is null)
        {
            return Servers[0];
        }

        var hash = KetamaRing.Hash(wireKey);
        var index = _ring.GetServerIndex(hash);
        if (_ejectDeadServers && !Servers[index].IsAvailable && _ring.GetServerIndex(hash, _isAvailable) is >= 0 and var next)
        {
            index = next;
        }

        return Servers[index];
    }

    /// <summary>
    /// The <paramref name="count"/> servers that hold copies of a key: its owner on the ring, then the next distinct
    /// servers clockwise. Dead servers keep their place, so the order never depends on who is up.
    /// </summary>
    public MemcachedServer[] LocateReplicas(ReadOnlySpan<byte> wireKey, int count)
    {
        if (_ring is null)
        {
            return [Servers[0]];
        }

        Span<int> indices = stackalloc int[Math.Min(count, Servers.Count)];
        var found = _ring.GetServerIndices(KetamaRing.Hash(wireKey), indices);
        var replicas = new MemcachedServer[found];
        for (var i = 0; i < found; i++)
        {
            replicas[i] = Servers[indices[i]];
        }

        return replicas;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var server in Servers)
        {
            await server.DisposeAsync();
        }
    }
}
