using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DualCache.Memcached;

/// <summary>
/// Options for one role, bound from <c>Memcached:{name}</c>; the servers come from <c>ConnectionStrings:{name}</c>.
/// </summary>
public sealed class MemcachedClientOptions
{
    /// <summary><c>host:port[,host:port...]</c>. Filled from <c>ConnectionStrings:{name}</c> when that is set.</summary>
    public string? Servers { get; set; }

    /// <summary>Prepended to every key, so that two roles (or apps) can share one server without meeting.</summary>
    public string KeyPrefix { get; set; } = "";

    /// <summary>Connections per server; every caller shares them, with requests pipelined.</summary>
    public int ConnectionsPerServer { get; set; } = 2;

    /// <summary>
    /// Run a caller's code after an await on the connection's own thread, as soon as its answer is read, instead of on
    /// the thread pool. With one connection per server it brings the client's CPU per operation below memcached's own
    /// (Benchmarks/README.md), but every answer behind it waits while one caller's code runs, and a caller that blocks
    /// there on any request of this client stalls that request, unwritten, until <see cref="OperationTimeout"/> closes
    /// its connection and fails every caller waiting on it. Only for callers whose code after each await is short and
    /// never blocks, such as a load generator or a proxy; never in a web app. Named after Kestrel's setting of the same kind.
    /// </summary>
    public bool UnsafePreferInlineScheduling { get; set; }

    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long one request may wait for its response before the connection is closed and rebuilt, from when it is
    /// written to the socket: a request still waiting for a thread-pool thread to write it, on a pool that blocking
    /// callers have starved, does not time out a healthy server. With <see cref="UnsafePreferInlineScheduling"/>, from
    /// when it is sent.
    /// </summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// After this long without a request, a connection sends a <c>version</c> of its own, so that a firewall, NAT or
    /// load balancer that drops quiet TCP flows (Azure's after 4 minutes), or memcached's own <c>-o idle_timeout</c>,
    /// does not end it; a peer that has silently gone fails that probe after <see cref="OperationTimeout"/>, and the
    /// next caller gets a new connection instead of waiting out the timeout. Zero turns it off. StackExchange.Redis
    /// sends its keep-alive after the same 60 seconds.
    /// </summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The first wait before a dead server is tried again; it doubles on every failure, up to <see cref="DeadServerRetryMax"/>.</summary>
    public TimeSpan DeadServerRetryInitial { get; set; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan DeadServerRetryMax { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Send a dead server's keys to the next server on the ring until it returns. Off by default: a server that rejoins
    /// would then serve values that were overwritten elsewhere meanwhile.
    /// </summary>
    public bool EjectDeadServers { get; set; }

    /// <summary>
    /// How many servers keep a copy of each key: the key's server on the ketama ring and the next distinct ones
    /// clockwise. With 2 or more, writes go to every copy, reads fall through to the next copy when a server is down or
    /// came back empty, and repair it. Capped at the number of servers; 1 is plain memcached placement.
    /// </summary>
    public int Replicas { get; set; } = 1;

    /// <summary>
    /// The old store of this role while it moves to new servers; <see langword="null"/> (the default) costs nothing.
    /// Remove it once every key worth keeping was read or expired: after one idle timeout for sessions.
    /// </summary>
    public MemcachedMigrationOptions? MigrateFrom { get; set; }

    /// <summary>For memcached's ASCII authentication (<c>memcached -Y authfile</c>).</summary>
    public string? Username { get; set; }

    public string? Password { get; set; }

    public MemcachedTlsOptions Tls { get; set; } = new();

    /// <summary>What the health check reports when a server is down: Degraded suits an object cache, Unhealthy a session store.</summary>
    public HealthStatus HealthCheckFailureStatus { get; set; } = HealthStatus.Unhealthy;

    public bool DisableHealthChecks { get; set; }

    public bool DisableMetrics { get; set; }

    public bool DisableTracing { get; set; }

    internal IReadOnlyList<MemcachedEndPoint> ParseServers() =>
        MemcachedEndPoint.TryParseList(Servers, out var endPoints, out var error)
            ? endPoints
            : throw new InvalidOperationException($"Memcached servers {error}");
}
