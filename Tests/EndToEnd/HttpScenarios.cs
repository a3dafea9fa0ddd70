using System.Net;

namespace DualCache.Tests.EndToEnd;

/// <summary>What the app answers to plain HTTP clients (monitors, link checkers) and what its counter counts.</summary>
[Collection(BrowserScenarios.Name)]
public sealed class HttpScenarios(BrowserFixture fixture)
{
    [Theory]
    [InlineData("/", HttpStatusCode.OK)]
    [InlineData("/catalog", HttpStatusCode.OK)]
    [InlineData("/catalog/1", HttpStatusCode.OK)]
    [InlineData("/caches", HttpStatusCode.OK)]
    [InlineData("/account/signin", HttpStatusCode.OK)]
    [InlineData("/catalog/999", HttpStatusCode.NotFound)]
    [InlineData("/css/site.css", HttpStatusCode.OK)]
    public async Task HEAD_is_answered_as_GET_is_without_a_body(string path, HttpStatusCode expected)
    {
        using var client = new HttpClient { BaseAddress = fixture.App.BaseAddress };
        using var get = await client.GetAsync(new Uri(path, UriKind.Relative));
        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, new Uri(path, UriKind.Relative)));

        Assert.Equal((expected, expected), (get.StatusCode, head.StatusCode));
        Assert.Equal(get.Content.Headers.ContentType, head.Content.Headers.ContentType);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_fresh_app_counts_only_the_database_query_its_first_page_caused()
    {
        await using var app = await DualCacheApp.StartAsync();
        await Scenario.RunAsync(fixture.Browser, app, async visitor =>
        {
            var first = await visitor.OpenCatalogAsync();

            Assert.Equal(("database", 1L), (first.Source, first.DatabaseQueries));
        });
    }
}
