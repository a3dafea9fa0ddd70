using Microsoft.AspNetCore.Session;

namespace DualCache.WebApp.Sessions;

/// <summary>
/// ASP.NET Core's distributed session over the protected cache, without the refresh round trip that
/// <see cref="DistributedSession"/> makes at the end of every request whose session did not change.
/// </summary>
public sealed class MemcachedSessionStore(ProtectedDistributedCache cache, ILoggerFactory loggerFactory) : ISessionStore
{
    public ISession Create(string sessionKey, TimeSpan idleTimeout, TimeSpan ioTimeout, Func<bool> tryEstablishSession, bool isNewSessionKey) =>
        new CommitOnChangeSession(new DistributedSession(cache, sessionKey, idleTimeout, ioTimeout, tryEstablishSession, loggerFactory, isNewSessionKey));
}
