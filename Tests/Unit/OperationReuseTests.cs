using DualCache.Memcached;
using DualCache.Memcached.Connections;
using DualCache.Memcached.Protocol;

namespace DualCache.Tests.Unit;

public sealed class OperationReuseTests
{
    /// <summary>A result type of its own, so that the operations of this test come from a pool nothing else takes from.</summary>
    private sealed record Marker;

    [Fact]
    public async Task An_operation_is_reused_use_after_use_once_its_caller_and_its_connection_let_go()
    {
        var first = Rent();
        await FinishAsync(first);

        for (var use = 1; use <= 3; use++)
        {
            var again = Rent();
            Assert.Same(first, again);
            await FinishAsync(again);
        }
    }

    [Fact]
    public async Task An_operation_whose_connection_has_not_let_go_is_not_reused()
    {
        var waiting = Rent();
        waiting.Start(default, CancellationToken.None);
        waiting.Fail(new MemcachedException("cancelled while its answer is on the way"));
        await Assert.ThrowsAsync<MemcachedException>(async () => await waiting.Task);
        await Assert.ThrowsAsync<MemcachedException>(async () => await waiting.Task);

        Assert.NotSame(waiting, Rent());
    }

    private static MetaOperation<Marker> Rent() =>
        MetaOperation<Marker>.Rent(new MetaRequest(MetaCommand.Get, MetaRequestFlags.ReturnValue), static _ => new Marker());

    private static async Task FinishAsync(MetaOperation<Marker> operation)
    {
        operation.Start(default, CancellationToken.None);
        operation.Fail(new MemcachedException("done"));
        operation.LeaveConnection();
        await Assert.ThrowsAsync<MemcachedException>(async () => await operation.Task);
    }
}
