using DualCache.Memcached;

namespace DualCache.Tests.Integration;

/// <summary>Several local memcached servers started at once.</summary>
public static class LocalServers
{
    /// <summary>Starts them all; if one cannot start, those that did are stopped again, so no process outlives the test.</summary>
    public static async Task<LocalMemcached[]> StartAsync(int count)
    {
        var starts = Enumerable.Range(0, count).Select(_ => LocalMemcached.StartAsync()).ToList();
        try
        {
            return await Task.WhenAll(starts);
        }
        catch
        {
            foreach (var started in starts.Where(start => start.IsCompletedSuccessfully))
            {
                await started.Result.DisposeAsync();
            }

            throw;
        }
    }
}
