using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace DualCache.Memcached;

/// <summary>Typed values as UTF-8 JSON, marked by their client flags so that a raw value is never misread as JSON.</summary>
public static class MemcachedClientJsonExtensions
{
    /// <summary>The client flags of a JSON value ("JSON" in ASCII).</summary>
    public const uint JsonFlags = 0x4A53_4F4E;

    public static async ValueTask<T?> GetAsync<T>(this IMemcachedClient client, string key, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(typeInfo);
        return await client.GetItemAsync(key, cancellationToken) is { } item ? JsonSerializer.Deserialize(CheckJson(key, item), typeInfo) : default;
    }

    public static ValueTask SetAsync<T>(this IMemcachedClient client, string key, T value, JsonTypeInfo<T> typeInfo, TimeSpan? expiry = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.SetAsync(key, JsonSerializer.SerializeToUtf8Bytes(value, typeInfo), expiry, JsonFlags, cancellationToken);
    }

    public static ValueTask<StoreResult> AddAsync<T>(this IMemcachedClient client, string key, T value, JsonTypeInfo<T> typeInfo, TimeSpan? expiry = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.AddAsync(key, JsonSerializer.SerializeToUtf8Bytes(value, typeInfo), expiry, JsonFlags, cancellationToken);
    }

    [RequiresUnreferencedCode("Reflection-based JSON; pass a JsonTypeInfo<T> from a JsonSerializerContext to avoid it.")]
    [RequiresDynamicCode("Reflection-based JSON; pass a JsonTypeInfo<T> from a JsonSerializerContext to avoid it.")]
    public static async ValueTask<T?> GetAsync<T>(this IMemcachedClient client, string key, JsonSerializerOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        return await client.GetItemAsync(key, cancellationToken) is { } item ? JsonSerializer.Deserialize<T>(CheckJson(key, item), options) : default;
    }

    [RequiresUnreferencedCode("Reflection-based JSON; pass a JsonTypeInfo<T> from a JsonSerializerContext to avoid it.")]
    [RequiresDynamicCode("Reflection-based JSON; pass a JsonTypeInfo<T> from a JsonSerializerContext to avoid it.")]
    public static ValueTask SetAsync<T>(this IMemcachedClient client, string key, T value, JsonSerializerOptions? options = null, TimeSpan? expiry = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.SetAsync(key, JsonSerializer.SerializeToUtf8Bytes(value, options), expiry, JsonFlags, cancellationToken);
    }

    private static byte[] CheckJson(string key, MemcachedItem item) =>
        item.Flags == JsonFlags
            ? item.Value
            : throw new MemcachedException($"The value of '{key}' was not stored as JSON (client flags {item.Flags:X8}); read it with GetItemAsync.");
}
