using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using DualCache.Memcached;
using Microsoft.Extensions.Options;

namespace DualCache.WebApp.Caching;

/// <summary>
/// Cache-aside over the <c>cache</c> role: read memcached, on a miss load from the database and store the result.
/// Concurrent reads of one key share a single read, so that after a flush (or an expiry) a crowd of requests
/// sends one query to the database instead of one each; the rest wait for that answer.
/// When memcached cannot be reached the value still comes from the database, and the read says so.
/// A shared read that outlasts <see cref="ObjectCacheOptions.LoadTimeout"/> fails its readers and lets go of the key.
/// </summary>
public sealed partial class ObjectCache(
    [FromKeyedServices(CacheRoles.Cache)] IMemcachedClient client,
    IOptions<ObjectCacheOptions> options,
    TimeProvider time,
    ILogger<ObjectCache> logger)
{
    private readonly TimeSpan _loadTimeout = options.Value.LoadTimeout;

    // Per process: with several instances of the app, a flush costs one query per key per instance.
    private readonly ConcurrentDictionary<string, Task> _reads = new(StringComparer.Ordinal);

    /// <summary>Reads <paramref name="key"/>, loading and caching it on a miss. One key must always be read as one type.</summary>
    public async Task<CacheRead<T>> GetOrLoadAsync<T>(
        string key,
        Func<CancellationToken, Task<T>> load,
        JsonTypeInfo<T> typeInfo,
        TimeSpan expiry,
        CancellationToken cancellationToken)
        where T : class
    {
        var started = Stopwatch.GetTimestamp();
        var mine = new TaskCompletionSource<SharedRead<T>>(TaskCreationOptions.RunContinuationsAsynchronously);
        var shared = (Task<SharedRead<T>>)_reads.GetOrAdd(key, mine.Task);
        if (shared == mine.Task)
        {
            // Not tied to this request: the other readers of the key wait for this read, even if this caller leaves.
            _ = ReadAndShareAsync(key, load, typeInfo, expiry, mine);
        }

        var read = await shared.WaitAsync(cancellationToken);
        return new CacheRead<T>(read.Value, read.Source, Stopwatch.GetElapsedTime(started), read.CacheUnavailable);
    }

    private async Task ReadAndShareAsync<T>(
        string key,
        Func<CancellationToken, Task<T>> load,
        JsonTypeInfo<T> typeInfo,
        TimeSpan expiry,
        TaskCompletionSource<SharedRead<T>> result)
        where T : class
    {
        // The key is let go of before the waiting readers resume, so that none of them can pick up a failure again,
        // and only after the value was stored, so that a reader arriving from then on finds it in memcached.
        // A load that ignores its token is left behind when the time is up: the readers must not wait for it.
        using var timeout = new CancellationTokenSource(_loadTimeout, time);
        try
        {
            var read = await ReadAsync(key, load, typeInfo, expiry, timeout.Token).WaitAsync(timeout.Token);
            _reads.TryRemove(new KeyValuePair<string, Task>(key, result.Task));
            result.SetResult(read);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            _reads.TryRemove(new KeyValuePair<string, Task>(key, result.Task));
            LogLoadTimedOut(logger, key, _loadTimeout);
            result.SetException(new TimeoutException($"Reading '{key}' through the object cache took longer than {_loadTimeout}."));
        }
        catch (Exception exception)
        {
            _reads.TryRemove(new KeyValuePair<string, Task>(key, result.Task));
            result.SetException(exception);
        }
    }

    private async Task<SharedRead<T>> ReadAsync<T>(
        string key, Func<CancellationToken, Task<T>> load, JsonTypeInfo<T> typeInfo, TimeSpan expiry, CancellationToken cancellationToken)
        where T : class
    {
        // Only the load gets the token: memcached calls end by the client's own operation timeout.
        try
        {
            if (await client.GetAsync(key, typeInfo, CancellationToken.None) is { } cached)
            {
                return new SharedRead<T>(cached, DataSource.Cache, CacheUnavailable: false);
            }
        }
        catch (MemcachedException exception)
        {
            LogCacheUnavailable(logger, key, exception);
            return new SharedRead<T>(await load(cancellationToken), DataSource.Database, CacheUnavailable: true);
        }
        catch (JsonException exception)
        {
            // A value written in an older shape: load it again and overwrite it.
            LogUnreadableValue(logger, key, exception);
        }

        var value = await load(cancellationToken);
        try
        {
            await client.SetAsync(key, value, typeInfo, expiry, CancellationToken.None);
        }
        catch (MemcachedException exception)
        {
            LogCacheUnavailable(logger, key, exception);
            return new SharedRead<T>(value, DataSource.Database, CacheUnavailable: true);
        }

        return new SharedRead<T>(value, DataSource.Database, CacheUnavailable: false);
    }

    private sealed record SharedRead<T>(T Value, DataSource Source, bool CacheUnavailable);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "The object cache could not be used for {Key}; the value comes from the database")]
    private static partial void LogCacheUnavailable(ILogger logger, string key, Exception exception);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "The cached value of {Key} could not be read; it is loaded again")]
    private static partial void LogUnreadableValue(ILogger logger, string key, Exception exception);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Error, Message = "Reading {Key} through the object cache took longer than {LoadTimeout}; its readers were failed and the key is free again")]
    private static partial void LogLoadTimedOut(ILogger logger, string key, TimeSpan loadTimeout);
}
