using System.Collections.Concurrent;

namespace DualCache.WebApp.Caches;

/// <summary>
/// The last flush of each role made through this app instance. memcached keeps no such record (<c>cmd_flush</c> only
/// counts them), and a flush from elsewhere (the AppHost's dashboard, a script) is not seen here.
/// </summary>
public sealed class FlushLog
{
    private readonly ConcurrentDictionary<string, FlushRecord> _last = new();

    public void Record(string role, FlushRecord flush) => _last[role] = flush;

    public FlushRecord? Last(string role) => _last.GetValueOrDefault(role);
}
