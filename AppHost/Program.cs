using DualCache.AppHost;
using DualCache.AppHost.Memcached;

var builder = DistributedApplication.CreateBuilder(args);
var settings = DualCacheSettings.Read(builder.Configuration);

// One memcached server per role; each resource name is also the connection-string name the web app reads.
var cache = builder.AddMemcachedServer("cache", settings)
    .WithFlushCommand("Flush the object cache? Pages read the database once and fill it again; nobody is signed out.")
    .WithShowStatsCommand();

// Persistent by default: the container outlives the AppHost, so restarting the AppHost signs nobody out.
var sessions = builder.AddMemcachedServer("sessions", settings, settings.SessionsLifetime, settings.SessionsContainerName)
    .WithFlushCommand("Flush the session store? Every signed-in user is signed out and every cart is emptied.")
    .WithShowStatsCommand();

builder.AddProject<Projects.DualCache_WebApp>("webapp", launchProfileName: null)
    .WithHttpEndpoint(name: "http")
    .WithEnvironment("ASPNETCORE_ENVIRONMENT", builder.Environment.EnvironmentName)
    .WithReference(cache).WaitFor(cache)
    .WithReference(sessions).WaitFor(sessions)
    .WithHealthEndpointCheck("/health")
    .WithExternalHttpEndpoints();

builder.Build().Run();
