using System.Net;
using System.Net.WebSockets;
using ControlPanel.Core.Security;
using ControlPanel.TestSupport;

namespace ControlPanel.Web.Tests;

/// <summary>
/// A page on a sibling subdomain or another port of the same host is the same site, so SameSite=Strict sends it the
/// sign-in cookie: its live connections to the hubs and Blazor's circuit must be refused by their Origin.
/// Real WebSockets against the panel on a real port.
/// </summary>
public sealed class CrossSiteConnectionTests : IAsyncLifetime
{
    private readonly PanelFactory _panel = new();
    private Uri _base = default!;

    public Task InitializeAsync()
    {
        _panel.UseKestrel(0);
        _panel.StartServer();
        _base = _panel.ClientOptions.BaseAddress;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _panel.DisposeAsync();

    private string OwnOrigin => $"http://{_base.Authority}";

    private async Task<string> SignInCookieAsync()
    {
        var (user, password) = await _panel.CreateUserAsync(Role.Viewer);
        var cookies = new CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = _base };
        Assert.Equal(HttpStatusCode.Redirect, (await FormSignIn.SignInAsync(browser, user, password)).StatusCode);
        return $"cp.auth={cookies.GetCookies(_base)["cp.auth"]!.Value}";
    }

    private async Task<HttpStatusCode> HandshakeAsync(string path, string? origin, string? cookie, string? token = null)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (origin is not null) socket.Options.SetRequestHeader("Origin", origin);
        if (cookie is not null) socket.Options.SetRequestHeader("Cookie", cookie);
        if (token is not null) socket.Options.SetRequestHeader("Authorization", $"Bearer {token}");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await socket.ConnectAsync(new Uri($"ws://{_base.Authority}{path}"), timeout.Token);
        }
        catch (WebSocketException)
        {
            // The refused handshake's status is in HttpStatusCode.
        }
        return socket.HttpStatusCode;
    }

    public static TheoryData<string> Hubs => new() { "/hubs/logs", "/hubs/builds", "/hubs/deployments" };

    [Theory]
    [MemberData(nameof(Hubs))]
    public async Task HubWebSocket_WithTheCookieFromASiblingOrAnotherPort_IsRefused_FromThePanelItselfOpens(string hub)
    {
        var cookie = await SignInCookieAsync();

        Assert.Equal(HttpStatusCode.Forbidden, await HandshakeAsync(hub, "http://evil.localhost", cookie));
        Assert.Equal(HttpStatusCode.Forbidden, await HandshakeAsync(hub, $"http://127.0.0.1:{_base.Port + 1}", cookie));
        Assert.Equal(HttpStatusCode.Forbidden, await HandshakeAsync(hub, "null", cookie));
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await HandshakeAsync(hub, OwnOrigin, cookie));
    }

    [Fact]
    public async Task HubWebSocket_WithAToken_NeedsNoOriginCheck()
    {
        var (user, _) = await _panel.CreateUserAsync(Role.Viewer);
        var token = await _panel.CreateTokenAsync(user);

        Assert.Equal(HttpStatusCode.SwitchingProtocols, await HandshakeAsync("/hubs/logs", "http://evil.localhost", cookie: null, token));
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await HandshakeAsync("/hubs/logs", origin: null, cookie: null, token));
    }

    [Fact]
    public async Task BlazorCircuit_FromAnotherOrigin_IsRefused_FromThePanelItselfNegotiates()
    {
        var cookie = await SignInCookieAsync();
        using var client = new HttpClient { BaseAddress = _base };

        async Task<HttpStatusCode> NegotiateAsync(string origin)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/_blazor/negotiate?negotiateVersion=1");
            request.Headers.Add("Origin", origin);
            request.Headers.Add("Cookie", cookie);
            return (await client.SendAsync(request)).StatusCode;
        }

        Assert.Equal(HttpStatusCode.Forbidden, await NegotiateAsync("http://evil.localhost"));
        Assert.Equal(HttpStatusCode.Forbidden, await HandshakeAsync("/_blazor?id=anything", "http://evil.localhost", cookie));
        Assert.Equal(HttpStatusCode.OK, await NegotiateAsync(OwnOrigin));
    }
}
