namespace DualCache.WebApp.Development;

/// <summary>A Development memcached serving a role because none was configured; it keeps running after the app.</summary>
public sealed record LocalMemcachedServer(string Role, int Port, string PidFile, bool Reused);
