using DualCache.Tests.EndToEnd;
using DualCache.WebApp.Data;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace DualCache.Tests.WebApp;

public sealed class DatabaseHealthTests
{
    [Fact]
    public async Task Health_is_unhealthy_when_the_catalog_cannot_be_read_from_the_database()
    {
        var folder = Directory.CreateTempSubdirectory("dualcache-health-");
        var database = Path.Combine(folder.FullName, "shop.db");
        try
        {
            await using var app = await DualCacheApp.StartAsync(settings: new Dictionary<string, string?>
            {
                ["ConnectionStrings:shopdb"] = $"Data Source={database}",
            });
            Assert.Equal((200, "Healthy"), await app.HealthAsync());

            // The next connection opens a new, empty file: it connects, but there is no catalog in it.
            SqliteConnection.ClearAllPools();
            File.Delete(database);

            // Within a few seconds: /health answers from its last result for HealthChecks:ResultCacheDuration.
            await Scenario.EventuallyAsync(app.HealthAsync, health => health == (503, "Unhealthy"), TimeSpan.FromSeconds(15));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("foo", "ConnectionStrings:shopdb is not a SQLite connection string")]
    [InlineData("Data Source=/proc/no-such-process/shop.db", "ConnectionStrings:shopdb names the database file '/proc/no-such-process/shop.db', whose folder cannot be created")]
    public async Task A_database_setting_that_cannot_work_stops_the_start_and_names_the_setting(string connectionString, string expected)
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => DualCacheApp.StartAsync(settings: new Dictionary<string, string?>
        {
            ["ConnectionStrings:shopdb"] = connectionString,
        }));

        Assert.Contains(expected, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_probes_do_not_count_as_database_queries_of_the_pages()
    {
        await using var app = await DualCacheApp.StartAsync();
        var queries = app.Services.GetRequiredService<QueryCounter>();
        Assert.Equal((200, "Healthy"), await app.HealthAsync());
        var before = queries.Count;

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal((200, "Healthy"), await app.HealthAsync());
        }

        // The AppHost probes /health every few seconds; the catalog's "read from the database once" must not see it.
        Assert.Equal(before, queries.Count);
    }
}
