namespace DualCache.Tests.Connections;

/// <summary>
/// Reading the memcached server gauges (a <c>MeterListener</c> or an exporting app in this process) makes every client
/// made without dependency injection send <c>stats</c> to its servers, at a moment nobody chose. A scripted peer's
/// script would take that request for the test's own and answer it wrongly: CI once saw a third connection where a
/// test counted two. So the tests that read the gauges and the tests that script a peer never run beside each other.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ServerGaugeReaders
{
    public const string Name = "Server gauge readers and scripted peers";
}
