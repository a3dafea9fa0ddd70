using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace DualCache.WebApp.Data;

/// <summary>
/// Counts the queries sent to the database, so that the catalog page (and the tests) can show that a flush of the
/// object cache costs one query per key, not one per visitor.
/// </summary>
public sealed class QueryCounter : DbCommandInterceptor
{
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _count);
        return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Interlocked.Increment(ref _count);
        return base.ReaderExecuting(command, eventData, result);
    }
}
