using System.Text;
using DualCache.Memcached;

namespace DualCache.Tests.Integration;

public sealed class ConcurrencyTests(MemcachedServerFixture memcached) : IClassFixture<MemcachedServerFixture>
{
    [Fact]
    public async Task A_thousand_concurrent_callers_each_get_their_own_answer()
    {
        // This is about every answer reaching its own caller, not about latency: allow for a loaded CI machine.
        await using var client = memcached.CreateClient(o => (o.ConnectionsPerServer, o.OperationTimeout) = (2, TimeSpan.FromSeconds(30)));
        const int Callers = 1000;

        // Every caller writes then reads its own key with a value of its own length, over the same two connections.
        var results = await Task.WhenAll(Enumerable.Range(0, Callers).Select(async i =>
        {
            var value = Encoding.ASCII.GetBytes($"value-{i}-{new string('x', i % 300)}");
            await client.SetAsync($"caller:{i}", value);
            var read = await client.GetAsync($"caller:{i}");
            var counter = await client.IncrementAsync($"counter:{i % 10}", 1, initialValue: 1);
            return (i, Expected: value, Read: read, Counter: counter);
        }));

        foreach (var (i, expected, read, counter) in results)
        {
            Assert.True(expected.AsSpan().SequenceEqual(read), $"caller {i} read another caller's value");
            Assert.NotNull(counter);
        }

        var counters = await client.GetManyAsync(Enumerable.Range(0, 10).Select(i => $"counter:{i}"));
        Assert.Equal(Callers, counters.Values.Sum(c => int.Parse(Encoding.ASCII.GetString(c.Value), System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task Concurrent_batches_and_single_reads_do_not_mix_up_their_responses()
    {
        await using var client = memcached.CreateClient();
        for (var i = 0; i < 50; i++)
        {
            await client.SetAsync($"batch:{i}", Encoding.ASCII.GetBytes(i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        var work = Enumerable.Range(0, 200).Select(async n =>
        {
            if (n % 2 == 0)
            {
                var keys = Enumerable.Range(0, 50).Where(i => (i + n) % 3 != 0).Select(i => $"batch:{i}").ToList();
                var found = await client.GetManyAsync(keys);
                Assert.Equal(keys.Count, found.Count);
                Assert.All(found, pair => Assert.Equal(pair.Key["batch:".Length..], Encoding.ASCII.GetString(pair.Value.Value)));
            }
            else
            {
                var i = n % 50;
                Assert.Equal(i.ToString(System.Globalization.CultureInfo.InvariantCulture), Encoding.ASCII.GetString((await client.GetAsync($"batch:{i}"))!));
            }
        });

        await Task.WhenAll(work);
    }
}
