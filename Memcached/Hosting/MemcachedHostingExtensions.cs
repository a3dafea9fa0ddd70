using DualCache.Memcached;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Registers memcached clients the way Aspire client integrations do: the name is the connection string
/// (<c>ConnectionStrings:{name}</c>), the options section (<c>Memcached:{name}</c>), the DI key, the health check
/// and the <c>memcached.client</c> metric tag.
/// </summary>
public static class MemcachedHostingExtensions
{
    /// <summary>
    /// Registers <see cref="IMemcachedClient"/> for <paramref name="connectionName"/>: the keyed client of that name,
    /// also resolvable without a key (the first role registered this way gets the non-keyed slot).
    /// </summary>
    public static void AddMemcachedClient(this IHostApplicationBuilder builder, string connectionName, Action<MemcachedClientOptions>? configure = null)
    {
        builder.AddKeyedMemcachedClient(connectionName, configure);

        // One name, one client and one health check, however it is resolved.
        builder.Services.TryAddSingleton(sp => sp.GetRequiredKeyedService<IMemcachedClient>(connectionName));
    }

    /// <summary>Registers an <see cref="IMemcachedClient"/> singleton keyed by <paramref name="name"/>; calling it again for the same name does nothing.</summary>
    public static void AddKeyedMemcachedClient(this IHostApplicationBuilder builder, string name, Action<MemcachedClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (builder.Services.Any(d => d.ServiceType == typeof(IMemcachedClient) && Equals(d.ServiceKey, name)))
        {
            return;
        }

        AddClientCore(builder, name, configure);
        builder.Services.AddKeyedSingleton<IMemcachedClient>(name, (sp, _) => CreateClient(sp, name));
    }

    /// <summary>
    /// Registers <see cref="IDistributedCache"/> and <see cref="IBufferDistributedCache"/> over the keyed client
    /// <paramref name="connectionName"/> (registered too, if it is not yet).
    /// </summary>
    public static void AddMemcachedDistributedCache(this IHostApplicationBuilder builder, string connectionName, Action<MemcachedClientOptions>? configure = null)
    {
        builder.AddKeyedMemcachedClient(connectionName, configure);
        builder.Services.AddKeyedSingleton(connectionName, (sp, _) => new MemcachedDistributedCache(
            sp.GetRequiredKeyedService<IMemcachedClient>(connectionName) as MemcachedClient
                ?? throw new InvalidOperationException($"The distributed cache '{connectionName}' needs the keyed IMemcachedClient '{connectionName}' to be a MemcachedClient."),
            sp.GetService<TimeProvider>()));
        builder.Services.AddSingleton<IDistributedCache>(sp => sp.GetRequiredKeyedService<MemcachedDistributedCache>(connectionName));
        builder.Services.AddSingleton<IBufferDistributedCache>(sp => sp.GetRequiredKeyedService<MemcachedDistributedCache>(connectionName));
    }

    private static void AddClientCore(IHostApplicationBuilder builder, string name, Action<MemcachedClientOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);

        var section = $"Memcached:{name}";
        var options = builder.Services.AddOptions<MemcachedClientOptions>(name)
            .BindConfiguration(section)
            .Configure<IConfiguration>((o, configuration) =>
            {
                if (configuration.GetConnectionString(name) is { Length: > 0 } servers)
                {
                    o.Servers = servers;
                }
            })
            .ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        builder.Services.AddSingleton<IValidateOptions<MemcachedClientOptions>>(new MemcachedClientOptionsValidator(name));
        builder.Services.AddMetrics();
        builder.Services.TryAddSingleton<MemcachedMetrics>();

        // Like Aspire's settings, whether there is a health check at all must be known while registering.
        var settings = new MemcachedClientOptions();
        builder.Configuration.GetSection(section).Bind(settings);
        configure?.Invoke(settings);
        if (!settings.DisableHealthChecks)
        {
            builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
                $"memcached-{name}",
                sp => new MemcachedHealthCheck(sp.GetRequiredKeyedService<IMemcachedClient>(name), sp.GetRequiredService<IOptionsMonitor<MemcachedClientOptions>>().Get(name).HealthCheckFailureStatus),
                failureStatus: null,
                tags: ["memcached", name]));
        }
    }

    private static IMemcachedClient CreateClient(IServiceProvider services, string name)
    {
        var options = services.GetRequiredService<IOptionsMonitor<MemcachedClientOptions>>().Get(name);
        var client = CreateClient(services, name, options);
        if (options.MigrateFrom is not { } old)
        {
            return client;
        }

        // The old store with the role's own timeouts, credentials and TLS: one deployment, moving servers.
        var oldOptions = CopyOf(options);
        oldOptions.Servers = old.Servers;
        oldOptions.KeyPrefix = old.KeyPrefix ?? options.KeyPrefix;
        oldOptions.Replicas = 1;
        oldOptions.MigrateFrom = null;
        return new MigratingMemcachedClient(client, CreateClient(services, $"{name}-migrate-from", oldOptions));
    }

    private static MemcachedClient CreateClient(IServiceProvider services, string name, MemcachedClientOptions options) => new(
        name,
        options,
        services.GetService<ILoggerFactory>(),
        services.GetRequiredService<MemcachedMetrics>(),
        services.GetService<TimeProvider>());

    private static MemcachedClientOptions CopyOf(MemcachedClientOptions options) => new()
    {
        ConnectionsPerServer = options.ConnectionsPerServer,
        UnsafePreferInlineScheduling = options.UnsafePreferInlineScheduling,
        ConnectTimeout = options.ConnectTimeout,
        OperationTimeout = options.OperationTimeout,
        KeepAliveInterval = options.KeepAliveInterval,
        DeadServerRetryInitial = options.DeadServerRetryInitial,
        DeadServerRetryMax = options.DeadServerRetryMax,
        Username = options.Username,
        Password = options.Password,
        Tls = options.Tls,
        DisableMetrics = options.DisableMetrics,
        DisableTracing = options.DisableTracing,
    };
}
