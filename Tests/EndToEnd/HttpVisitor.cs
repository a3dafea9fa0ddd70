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
    private readonly List<string> _setCookies = [];

    /// <param name="baseAddress">The app.</param>
    /// <param name="headers">Sent with every request, as a reverse proxy in front of the app would add them.</param>
    public HttpVisitor(Uri baseAddress, IReadOnlyDictionary<string, string>? headers = null)
    {
        _client = new HttpClient(new HttpClientHandler
        {
            CookieContainer = new CookieContainer(),
            AllowAutoRedirect = false,
            ServerCertificateCustomValidationCallback = (_, certificate, _, errors) => TestCertificate.IsTrusted(certificate, errors),
        })
        {
            BaseAddress = baseAddress,
        };
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            _client.DefaultRequestHeaders.Add(name, value);
        }
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

    /// <summary>Every Set-Cookie header the app sent so far, in order.</summary>
    public IReadOnlyList<string> SetCookies
    {
        get
        {
            lock (_statuses)
            {
                return [.. _setCookies];
            }
        }
    }

    public async Task SignInAsync(string email, string password = DualCacheApp.DemoPassword)
    {
        var status = await TrySignInAsync(email, password);
        if (status != 302)
        {
            throw new InvalidOperationException($"Signing in as {email} answered {status}.");
        }
    }

    /// <summary>Sends the sign-in form; the status of the POST (302 signed in, 200 refused, 429 too many attempts).</summary>
    public async Task<int> TrySignInAsync(string email, string password)
    {
        var (_, form) = await GetAsync("/account/signin");
        return await PostAsync("/account/signin", form, new() { ["Form.Email"] = email, ["Form.Password"] = password });
    }

    /// <summary>Signs out with the form on <paramref name="pageWithForm"/>; the status of the POST.</summary>
    public Task<int> SignOutAsync(string pageWithForm) => PostAsync("/account/signout", pageWithForm, []);

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
        using var response = await GetResponseAsync(path);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>A page, as the whole response, headers included.</summary>
    public async Task<HttpResponseMessage> GetResponseAsync(string path)
    {
        var response = await _client.GetAsync(new Uri(path, UriKind.Relative));
        Record(response);
        return response;
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
        Record(response);
        return (int)response.StatusCode;
    }

    private void Record(HttpResponseMessage response)
    {
        lock (_statuses)
        {
            _statuses.Add((int)response.StatusCode);
            _setCookies.AddRange(response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : []);
        }
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    [GeneratedRegex("data-testid=\"cart-line-name\">([^<]*)<")]
    private static partial Regex CartLineName();
}
