using System.Diagnostics.CodeAnalysis;

namespace DualCache.WebApp.Sessions;

/// <summary>
/// A session that writes back only when it changed. Reading a session already resets its idle timeout on the
/// memcached server (one <c>mg</c> with a touch), so the refresh ASP.NET Core sends for an unchanged session would be a
/// second round trip for nothing; a session that was not read in a request is not kept alive by that request.
/// </summary>
public sealed class CommitOnChangeSession(ISession inner) : ISession
{
    private bool _changed;

    public bool IsAvailable => inner.IsAvailable;

    public string Id => inner.Id;

    public IEnumerable<string> Keys => inner.Keys;

    public Task LoadAsync(CancellationToken cancellationToken = default) => inner.LoadAsync(cancellationToken);

    public Task CommitAsync(CancellationToken cancellationToken = default) =>
        _changed ? inner.CommitAsync(cancellationToken) : Task.CompletedTask;

    public bool TryGetValue(string key, [NotNullWhen(true)] out byte[]? value) => inner.TryGetValue(key, out value);

    public void Set(string key, byte[] value)
    {
        inner.Set(key, value);
        _changed = true;
    }

    public void Remove(string key)
    {
        inner.Remove(key);
        _changed = true;
    }

    public void Clear()
    {
        inner.Clear();
        _changed = true;
    }
}
