using System.Net;
using System.Text.RegularExpressions;
using ControlPanel.Core.Security;
using ControlPanel.TestSupport;

namespace ControlPanel.Web.Tests;

/// <summary>
/// Behind a reverse proxy the panel must see the client and https — but only from proxies it was told about:
/// anything else on the host (a replica, a build) could send the same headers. The panel on a real port, so the
/// proxy's address is the real 127.0.0.1.
/// </summary>
public sealed class ForwardedHeadersTests
{
    private const string Client = "203.0.113.9"; // a documentation address: only ever a header value, never contacted

    private static PanelFactory Start(bool trustLoopbackProxy)
    {
        var panel = new PanelFactory();
        if (trustLoopbackProxy) panel.Settings["ControlPanel:Http:KnownProxies:0"] = "127.0.0.1";
        panel.UseKestrel(0);
        panel.StartServer();
        return panel;
    }

    private static HttpClient Browser(PanelFactory panel, string forwardedFor)
    {
        // Cookies by hand: the proxy's client speaks https, so a CookieContainer would keep the Secure ones from this http hop.
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false })
        {
            BaseAddress = panel.ClientOptions.BaseAddress,
        };
        client.DefaultRequestHeaders.Host = "panel.example"; // HSTS is never sent for localhost
        client.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        return client;
    }

    /// <summary>The sign-in form as a browser posts it: the form's token, and the antiforgery cookie sent back.</summary>
    private static async Task<HttpResponseMessage> SignInAsync(HttpClient browser, string user, string password)
    {
        var page = await browser.GetAsync("/account/login");
        var token = FormSignIn.AntiforgeryToken(await page.Content.ReadAsStringAsync());
        using var post = new HttpRequestMessage(HttpMethod.Post, "/account/signin")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["userName"] = user, ["password"] = password, ["__RequestVerificationToken"] = token }),
        };
        post.Headers.Add("Cookie", string.Join("; ", page.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0])));
        return await browser.SendAsync(post);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ForwardedClientAndHttps_AreBelievedOnlyFromAKnownProxy(bool known)
    {
        await using var panel = Start(known);
        var (user, password) = await panel.CreateUserAsync(Role.Viewer);
        using var browser = Browser(panel, Client);

        var response = await SignInAsync(browser, user, password);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("cp.auth=", StringComparison.Ordinal));
        Assert.Equal(known, cookie.Contains("secure", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(known, response.Headers.Contains("Strict-Transport-Security"));
        var admin = await panel.CreateClientAsync(Role.Admin);
        var audit = await admin.GetStringAsync($"/api/audit?action=user.signin&text={user}");
        var address = Regex.Match(audit, "\"clientAddress\":\"([^\"]*)\"").Groups[1].Value;
        Assert.Equal(known ? Client : "127.0.0.1", address);
    }

    [Fact]
    public async Task SignInRateLimit_BehindAKnownProxy_IsPerClient_SoJunkFromOneLocksOutNobodyElse()
    {
        await using var panel = Start(trustLoopbackProxy: true);
        var (user, password) = await panel.CreateUserAsync(Role.Viewer);
        using var attacker = Browser(panel, "203.0.113.66");
        for (var i = 0; i < 10; i++) await SignInAsync(attacker, $"junk-{i}", "wrong");
        Assert.Equal(HttpStatusCode.TooManyRequests, (await SignInAsync(attacker, "junk", "wrong")).StatusCode);

        using var colleague = Browser(panel, Client);
        Assert.Equal(HttpStatusCode.Redirect, (await SignInAsync(colleague, user, password)).StatusCode);
    }
}
