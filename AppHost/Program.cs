using DualCache.AppHost.Memcached;
using Microsoft.Extensions.Configuration;

var builder = DistributedApplication.CreateBuilder(args);

// Two memcached servers, one per role; each resource name is also the connection-string name the web app reads.
// Containers by default; DualCache:MemcachedMode=Executable runs the memcached binary from PATH instead, for
// machines without Docker or Podman.
var memcachedMode = builder.Configuration.GetValue("DualCache:MemcachedMode", MemcachedMode.Container);

IResourceBuilder<IMemcachedResource> cache = memcachedMode == MemcachedMode.Executable
    ? builder.AddMemcachedExecutable("cache")
    : builder.AddMemcached("cache");

// Persistent: the container outlives the AppHost, so restarting the AppHost signs nobody out.
IResourceBuilder<IMemcachedResource> sessions = memcachedMode == MemcachedMode.Executable
    ? builder.AddMemcachedExecutable("sessions")
    : builder.AddMemcached("sessions").WithLifetime(ContainerLifetime.Persistent);

builder.AddProject<Projects.DualCache_WebApp>("webapp")
    .WithReference(cache).WaitFor(cache)
    .WithReference(sessions).WaitFor(sessions)
    .WithHttpHealthCheck("/health")
    .WithExternalHttpEndpoints();

builder.Build().Run();
