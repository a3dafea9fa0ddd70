namespace DualCache.Tests.WebApp;

/// <summary>
/// Tests that watch what the whole process exports. An app's OpenTelemetry provider listens to every
/// <c>DualCache.Memcached</c> meter in the process, and OpenTelemetry .NET folds identical instruments of same-named
/// meters into one metric stream; when any of those meters is disposed (another test's app shutting down), the stream
/// is deactivated and dropped at the next collection, while the app's own instruments, still alive, go on recording
/// into it. Beside other tests, the app's series vanished that way in CI (three of seven runs in the eighth session).
/// Run after every other test, with nothing beside them, no meter is disposed under them; that also keeps them from
/// scripted peers, as <see cref="Connections.ServerGaugeReaders"/> requires. A test that blocks the thread pool on
/// purpose (<see cref="Integration.ThreadPoolStarvationTests"/>) runs here too, so as not to slow every other test.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AloneInProcess
{
    public const string Name = "Alone in the process";
}
