namespace DualCache.WebApp.Caches;

/// <summary>A flush from the caches page: when, by whom, and the role's <c>total_items</c> right after it.</summary>
public sealed record FlushRecord(DateTimeOffset At, string By, long TotalItemsAtFlush);
