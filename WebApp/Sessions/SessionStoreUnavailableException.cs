using DualCache.Memcached;

namespace DualCache.WebApp.Sessions;

/// <summary>The <c>sessions</c> role could not be reached while a sign-in ticket was read, stored or removed.</summary>
public sealed class SessionStoreUnavailableException : Exception
{
    public SessionStoreUnavailableException()
        : this("The session store cannot be reached.", null)
    {
    }

    public SessionStoreUnavailableException(string message)
        : this(message, null)
    {
    }

    public SessionStoreUnavailableException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public SessionStoreUnavailableException(MemcachedException innerException)
        : this("The session store cannot be reached: " + innerException.Message, innerException)
    {
    }
}
