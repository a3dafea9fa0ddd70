using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace DualCache.Memcached.Servers;

/// <summary>
/// The ketama continuum that maps a key's hash to a server, laid out point for point as libmemcached lays it out in
/// weighted ketama mode (<c>MEMCACHED_BEHAVIOR_KETAMA_WEIGHTED</c>) with every server at the same weight, so that this
/// client and libmemcached-based clients (pylibmc, PHP memcached, ...) sharing a pool find each key on the same server.
/// </summary>
/// <remarks>
/// Weighted mode, not libmemcached's plain ketama mode (100 points, one per digest), because it is what pylibmc's
/// <c>ketama_weighted</c> and PHP's <c>OPT_LIBKETAMA_COMPATIBLE</c> switch on. The point strings, the default-port
/// rule, the little-endian reading of each digest quarter and the tie order all follow libmemcached's
/// <c>update_continuum</c> (hosts.cc): change any of them and keys silently land on other servers than libmemcached's.
/// </remarks>
[SuppressMessage("Security", "CA5351", Justification = "MD5 is what ketama places keys by; nothing here relies on it resisting attack.")]
internal sealed class KetamaRing
{
    public const int PointsPerServer = 160;

    // libmemcached leaves ":11211" out of the point string, so "host" and "host:11211" are one server to it.
    private const int LibmemcachedDefaultPort = 11211;

    private const int PointsPerDigest = 4;

    // Sorted ascending; _owners[i] is the server index of _points[i].
    private readonly uint[] _points;
    private readonly int[] _owners;
    private readonly int _serverCount;

    public KetamaRing(IReadOnlyList<MemcachedEndPoint> servers)
    {
        ArgumentNullException.ThrowIfNull(servers);
        if (servers.Count == 0)
        {
            throw new ArgumentException("A ketama ring needs at least one server.", nameof(servers));
        }

        _serverCount = servers.Count;
        var digestsPerServer = DigestsPerServer(servers.Count);

        // Value in the high half, server index in the low half: one sort orders ties by server index, as libmemcached
        // (1.1) does, which keeps placement deterministic even where two servers' points collide.
        var keyed = new ulong[servers.Count * digestsPerServer * PointsPerDigest];
        Span<byte> digest = stackalloc byte[MD5.HashSizeInBytes];
        var next = 0;
        for (var server = 0; server < servers.Count; server++)
        {
            var endPoint = servers[server] ?? throw new ArgumentException("The server list contains null.", nameof(servers));
            var prefix = endPoint.Port == LibmemcachedDefaultPort
                ? endPoint.Host
                : string.Create(CultureInfo.InvariantCulture, $"{endPoint.Host}:{endPoint.Port}");
            for (var group = 0; group < digestsPerServer; group++)
            {
                var pointName = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{prefix}-{group}"));
                MD5.HashData(pointName, digest);
                for (var quarter = 0; quarter < PointsPerDigest; quarter++)
                {
                    var value = BinaryPrimitives.ReadUInt32LittleEndian(digest[(quarter * 4)..]);
                    keyed[next++] = ((ulong)value << 32) | (uint)server;
                }
            }
        }

        Array.Sort(keyed);
        _points = new uint[keyed.Length];
        _owners = new int[keyed.Length];
        for (var i = 0; i < keyed.Length; i++)
        {
            _points[i] = (uint)(keyed[i] >> 32);
            _owners[i] = (int)(uint)keyed[i];
        }
    }

    /// <summary>The ketama hash of a key: the first four bytes of its MD5, little-endian, as libhashkit's md5 reads them.</summary>
    public static uint Hash(ReadOnlySpan<byte> key)
    {
        Span<byte> digest = stackalloc byte[MD5.HashSizeInBytes];
        MD5.HashData(key, digest);
        return BinaryPrimitives.ReadUInt32LittleEndian(digest);
    }

    /// <summary>The index of the server owning the first point at or after <paramref name="hash"/>, wrapping past the top.</summary>
    public int GetServerIndex(uint hash) => _owners[FirstPointAtOrAfter(hash)];

    /// <summary>
    /// Like <see cref="GetServerIndex(uint)"/>, but walks on clockwise past points whose server is not usable, so a
    /// down server's keys spread over its neighbours while every other key stays put; -1 when no server is usable.
    /// </summary>
    public int GetServerIndex(uint hash, Func<int, bool> isUsable)
    {
        ArgumentNullException.ThrowIfNull(isUsable);

        // Remember refusals so each server is asked at most once and a pool that is entirely down is given up on
        // after one question per server rather than one per point.
        Span<ulong> refused = stackalloc ulong[(_serverCount + 63) / 64];
        var refusedCount = 0;
        var start = FirstPointAtOrAfter(hash);
        for (var step = 0; step < _points.Length && refusedCount < _serverCount; step++)
        {
            var position = start + step;
            var server = _owners[position < _points.Length ? position : position - _points.Length];
            var bit = 1UL << (server & 63);
            if ((refused[server >> 6] & bit) != 0)
            {
                continue;
            }

            if (isUsable(server))
            {
                return server;
            }

            refused[server >> 6] |= bit;
            refusedCount++;
        }

        return -1;
    }

    /// <summary>
    /// The distinct servers met walking clockwise from <paramref name="hash"/>: the owner first, then each next server
    /// not met yet, until <paramref name="destination"/> is full or every server is in it. Returns how many were written.
    /// </summary>
    public int GetServerIndices(uint hash, Span<int> destination)
    {
        var wanted = Math.Min(destination.Length, _serverCount);
        var found = 0;
        var start = FirstPointAtOrAfter(hash);
        for (var step = 0; step < _points.Length && found < wanted; step++)
        {
            var position = start + step;
            var server = _owners[position < _points.Length ? position : position - _points.Length];
            if (!destination[..found].Contains(server))
            {
                destination[found++] = server;
            }
        }

        return found;
    }

    private int FirstPointAtOrAfter(uint hash)
    {
        var low = 0;
        var high = _points.Length;
        while (low < high)
        {
            var middle = low + ((high - low) >> 1);
            if (_points[middle] < hash)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low == _points.Length ? 0 : low;
    }

    // libmemcached works out each server's share in single precision and floors it, so for some pool sizes (25, 47,
    // 50, ...) an equal share comes to 39.999996 digests and every server gets 156 points rather than 160. The same
    // float arithmetic is repeated here because those pools would otherwise place about 3% of keys differently.
    private static int DigestsPerServer(int serverCount)
    {
        var share = 1f / serverCount;
        var digests = (float)((float)((float)(share * PointsPerServer) / PointsPerDigest) * serverCount) + 0.0000000001f;
        return (int)MathF.Floor(digests);
    }
}
