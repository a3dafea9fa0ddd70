using System.Threading.RateLimiting;
using DualCache.WebApp.Accounts;
using DualCache.WebApp.Caching;
using DualCache.WebApp.Catalog;
using DualCache.WebApp.Data;
using DualCache.WebApp.Security;
using DualCache.WebApp.Sessions;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.AuthenticatedEncryption;
using Microsoft.AspNetCore.DataProtection.AuthenticatedEncryption.ConfigurationModel;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

public static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;

        // The object cache may fail without taking the site down (pages come from the database), so its health check
        // reports Degraded; without the session store nobody can sign in, so that one stays Unhealthy.
        builder.AddKeyedMemcachedClient(CacheRoles.Cache, options => options.HealthCheckFailureStatus = HealthStatus.Degraded);
        builder.AddKeyedMemcachedClient(CacheRoles.Sessions, SessionReplicas.DefaultUnlessConfigured(builder.Configuration));
        services.AddSingleton<CacheRoles>();
        services.AddSingleton<ObjectCache>();
        services.AddOptions<ObjectCacheOptions>()
            .BindConfiguration(ObjectCacheOptions.SectionName)
            .Validate(options => options.LoadTimeout > TimeSpan.Zero, "ObjectCache:LoadTimeout must be positive.")
            .ValidateOnStart();

        builder.AddShopDatabase();
        services.AddSingleton<CatalogService>();

        services.AddSingleton<IPasswordHasher<Account>, PasswordHasher<Account>>();
        services.AddSingleton<AccountAuthenticator>();
        if (builder.Environment.IsDevelopment())
        {
            foreach (var account in DemoAccount.Create(builder.Configuration, builder.Environment.ContentRootPath))
            {
                services.AddSingleton(account);
            }
        }

        builder.AddWebSecurity();
        builder.AddDataProtection();
        builder.AddSignIn();
        services.AddCart();
        services.AddCachesPage();
        services.AddOptions<SessionEvictionMonitorOptions>()
            .BindConfiguration(SessionEvictionMonitorOptions.SectionName)
            .Validate(options => options.CheckInterval > TimeSpan.Zero, "SessionEvictions:CheckInterval must be positive.")
            .ValidateOnStart();
        services.AddHostedService<SessionEvictionMonitor>();

        services.AddControllersWithViews(mvc => mvc.Filters.Add(new AutoValidateAntiforgeryTokenAttribute()));
    }

    public static void UseApplicationPipeline(this WebApplication app)
    {
        app.UseWebSecurity();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error");
            app.UseHsts();
            app.UseHttpsRedirection();
        }

        app.UseStatusCodePagesWithReExecute("/status/{0}");

        // Served before authentication and session, so that a stylesheet costs no memcached round trip.
        app.UseStaticFiles();
        app.UseMiddleware<DualCache.WebApp.Http.HeadRequestMiddleware>();
        app.UseRouting();

        // Outside authentication, so that a session store that cannot be reached while a ticket is read, stored
        // or removed ends in a page saying so instead of an error.
        app.UseMiddleware<SessionStoreUnavailableMiddleware>();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapControllers();
    }

    private static void AddShopDatabase(this IHostApplicationBuilder builder)
    {
        SqliteConnectionStringBuilder connection;
        try
        {
            connection = new SqliteConnectionStringBuilder(builder.Configuration.GetConnectionString("shopdb") ?? "Data Source=App_Data/shop.db");
        }
        catch (ArgumentException exception)
        {
            // Not echoed: a connection string may hold a password.
            throw new InvalidOperationException($"ConnectionStrings:shopdb is not a SQLite connection string (Data Source=path/to/shop.db): {exception.Message}", exception);
        }

        // SQLite resolves a relative path against the working directory, which differs between 'dotnet run',
        // a published app and a test host; the content root does not.
        if (connection.DataSource != ":memory:" && !Path.IsPathRooted(connection.DataSource))
        {
            connection.DataSource = Path.Combine(builder.Environment.ContentRootPath, connection.DataSource);
        }

        if (Path.GetDirectoryName(connection.DataSource) is { Length: > 0 } folder)
        {
            try
            {
                Directory.CreateDirectory(folder);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                throw new InvalidOperationException($"ConnectionStrings:shopdb names the database file '{connection.DataSource}', whose folder cannot be created: {exception.Message}", exception);
            }
        }

        builder.Services.AddSingleton<QueryCounter>();
        builder.Services.AddDbContextFactory<ShopDbContext>((services, options) => options
            .UseSqlite(connection.ToString())
            .AddInterceptors(services.GetRequiredService<QueryCounter>()));
        builder.Services.AddHostedService<DatabaseInitializer>();

        // Reads the catalog table, not just opens the file: SQLite creates a missing file on open, empty.
        // Unhealthy when it fails, as without the database no page can be served.
        builder.Services.AddHealthChecks()
            .AddDbContextCheck<ShopDbContext>("shopdb", customTestQuery: (database, cancellationToken) =>
                database.Products.TagWith(QueryCounter.NotCounted).AnyAsync(cancellationToken));
    }

    private static void AddDataProtection(this IHostApplicationBuilder builder)
    {
        // Tickets, session payloads and cookies are protected with these keys: kept on disk, a restart of the app
        // does not sign everybody out. Several instances must share the folder (or another key store).
        var keys = builder.Configuration["DataProtection:KeysPath"]
            ?? Path.Combine(builder.Environment.ContentRootPath, "App_Data", "keys");
        builder.Services.AddDataProtection()
            .SetApplicationName("DualCache")
            .PersistKeysToFileSystem(new DirectoryInfo(keys))
            .ProtectKeysAtRest(builder.Configuration, builder.Environment)
            // AES-256-GCM instead of the default AES-256-CBC with HMACSHA256: an authenticated encryption as strong, in
            // one primitive, at a third less CPU per protect and under half per unprotect (Benchmarks/README.md).
            // Sign-ins, tickets and carts are protected at every write. A key keeps the algorithm it was made with, written
            // in its XML: older keys' payloads still read, and keys made from now on use GCM.
            .UseCryptographicAlgorithms(new AuthenticatedEncryptorConfiguration { EncryptionAlgorithm = EncryptionAlgorithm.AES_256_GCM });
        builder.Services.AddRememberedAntiforgeryTokens();
    }

    private static void AddSignIn(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<SignInLimitOptions>()
            .BindConfiguration(SignInLimitOptions.SectionName)
            .Validate(options => options.IdleTimeout > TimeSpan.Zero, "SignIn:IdleTimeout must be positive.")
            .Validate(options => options.AbsoluteLifetime >= options.IdleTimeout, "SignIn:AbsoluteLifetime must not be shorter than SignIn:IdleTimeout.")
            .Validate(options => options.AttemptsPerWindow > 0, "SignIn:AttemptsPerWindow must be at least 1.")
            .Validate(options => options.AttemptWindow > TimeSpan.Zero, "SignIn:AttemptWindow must be positive.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);

        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(options =>
            {
                options.LoginPath = "/account/signin";
                options.LogoutPath = "/account/signout";
                options.AccessDeniedPath = "/account/access-denied";
                options.Cookie.Name = "dualcache.auth";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;

                // The ticket store slides the idle timeout in the same round trip that reads the ticket; a sliding
                // cookie would add a write to memcached and a new cookie every so often for nothing.
                options.SlidingExpiration = false;
            });

        services.AddSingleton<IPostConfigureOptions<CookieAuthenticationOptions>, RememberedCookieTickets>();
        services.AddSingleton<ITicketStore, MemcachedTicketStore>();
        services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<ITicketStore, IOptions<SignInLimitOptions>>((cookie, store, signIn) =>
            {
                cookie.SessionStore = store;
                cookie.ExpireTimeSpan = signIn.Value.AbsoluteLifetime;
            });

        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // Per client address: behind a reverse proxy, the one the proxy forwarded (ReverseProxy section), or
            // every visitor would share the proxy's address and its window.
            limiter.AddPolicy(SignInLimitOptions.RateLimitPolicy, context =>
            {
                var options = context.RequestServices.GetRequiredService<IOptions<SignInLimitOptions>>().Value;
                return RateLimitPartition.GetFixedWindowLimiter(
                    context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = options.AttemptsPerWindow,
                        Window = options.AttemptWindow,
                        QueueLimit = 0,
                    });
            });
        });
    }
}
