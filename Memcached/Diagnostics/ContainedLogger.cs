using Microsoft.Extensions.Logging;

namespace DualCache.Memcached.Diagnostics;

/// <summary>
/// The client's logger, which keeps what a logging provider throws to itself: the framework's logger rethrows what its
/// providers throw, and the client logs from its reader thread and timer, where an exception would end the process,
/// and on a caller's way to a connection, where it would replace the <see cref="MemcachedException"/> the caller's
/// fallback catches, or fail a connection that works. A provider that throws loses its message and nothing else.
/// </summary>
internal sealed class ContainedLogger(ILogger inner) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull
    {
        try
        {
            return inner.BeginScope(state);
        }
        catch (Exception)
        {
            return null;
        }
    }

    public bool IsEnabled(LogLevel logLevel)
    {
        try
        {
            return inner.IsEnabled(logLevel);
        }
        catch (Exception)
        {
            return false;
        }
    }

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        try
        {
            inner.Log(logLevel, eventId, state, exception, formatter);
        }
        catch (Exception)
        {
        }
    }
}
