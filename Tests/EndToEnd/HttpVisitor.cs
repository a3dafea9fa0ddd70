using System.Net;
using System.Text.RegularExpressions;

namespace DualCache.Tests.EndToEnd;

/// <summary>
/// A signed-in visitor without a browser, for crowds: its own cookies, forms sent with their antiforgery token, and
/// every status code it ever got kept, so that a scenario can say "no response was 500 or worse".
/// </summary>
public sealed partial class HttpVisitor : IDisposable
{
    private readonly HttpClient _client;
    private readonly List<int> _statuses = [];

    public HttpVisitor(Uri baseAddress)
    {
        _client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = baseAddress };
    }

    public IReadOnlyList<int> Statuses
    {
        get
        {
            lock (_statuses)
            {
                return [.. _statuses];
            }
        }
    }

    public async Task SignInAsync(string email, string password = DualCacheApp.DemoPassword)
    {
        var (_, form) = await GetAsync("/account/signin");
        var status = await PostAsync("/account/signin", form, new() { ["Form.Email"] = email, ["Form.Password"] = password });
        if (status != 302)
        {
            throw new InvalidOperationException($"Signing in as {email} answered {status}.");
        }
    }

    /// <summary>Adds a product from the catalog page's form; the status of the POST (302 when it went through), or of the catalog page when it is not shown.</summary>
    public async Task<int> AddToCartAsync(int productId)
    {
        var (status, page) = await GetAsync("/catalog");
        if (status != 200)
        {
            // No catalog page, no form to send: the visitor stops here, as a person would.
            return status;
        }

        return await PostAsync("/cart/add", page, new() { ["productId"] = productId.ToString(System.Globalization.CultureInfo.InvariantCulture) });
    }

    /// <summary>A page, as status and HTML.</summary>
    public async Task<(int Status, string Html)> GetAsync(string path)
    {
        using var response = await _client.GetAsync(new Uri(path, UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();
        Record((int)response.StatusCode);
        return ((int)response.StatusCode, html);
    }

    /// <summary>Whether a page says somebody is signed in.</summary>
    public static bool ShowsSignedIn(string html) => html.Contains("data-testid=\"signed-in-user\"", StringComparison.Ordinal);

    /// <summary>The product names on the cart page.</summary>
    public static IReadOnlyList<string> CartLines(string html) =>
        [.. CartLineName().Matches(html).Select(match => WebUtility.HtmlDecode(match.Groups[1].Value))];

    public void Dispose() => _client.Dispose();

    private async Task<int> PostAsync(string path, string pageWithForm, Dictionary<string, string> fields)
    {
        fields["__RequestVerificationToken"] = AntiforgeryToken().Match(pageWithForm) is { Success: true } token
            ? WebUtility.HtmlDecode(token.Groups[1].Value)
            : throw new InvalidOperationException($"The page before {path} has no antiforgery token.");
        using var content = new FormUrlEncodedContent(fields);
        using var response = await _client.PostAsync(new Uri(path, UriKind.Relative), content);
        Record((int)response.StatusCode);
        return (int)response.StatusCode;
    }

    private void Record(int status)
    {
        lock (_statuses)
        {
            _statuses.Add(status);
        }
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    [GeneratedRegex("data-testid=\"cart-line-name\">([^<]*)<")]
    private static partial Regex CartLineName();
}
