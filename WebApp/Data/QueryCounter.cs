using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace DualCache.WebApp.Data;

/// <summary>
/// Counts the queries sent to the database, so that the catalog page (and the tests) can show that a flush of the
/// object cache costs one query per key, not one per visitor.
/// </summary>
public sealed class QueryCounter : DbCommandInterceptor
{
    /// <summary>
    /// Tag a query with this (<c>TagWith</c>) to leave it out of the count: the health check's query runs every few
    /// seconds when the AppHost probes <c>/health</c>, and is no page's cost.
    /// </summary>
    public const string NotCounted = "not counted";

    private static readonly AsyncLocal<bool> s_notCounting = new();

    private long _count;

    public long Count => Interlocked.Read(ref _count);

    /// <summary>
    /// Leaves the queries of the calling async method, and of what it calls, out of the count: the database's creation
    /// and seeding at start (25 inserts on a fresh database) are no page's cost. Ends when that method returns.
    /// </summary>
    public static void StopCountingInThisFlow() => s_notCounting.Value = true;

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        CountUnlessTagged(command);
        return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        CountUnlessTagged(command);
        return base.ReaderExecuting(command, eventData, result);
    }

    private void CountUnlessTagged(DbCommand command)
    {
        // EF Core writes a tag as a comment line before the statement.
        if (!s_notCounting.Value && !command.CommandText.StartsWith($"-- {NotCounted}", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _count);
        }
    }
}
