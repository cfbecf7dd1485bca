using System.Net;
using ControlPanel.Core.Security;
using ControlPanel.TestSupport;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ControlPanel.Web.Tests;

/// <summary>An unknown address: a page for a browser, problem details for the API.</summary>
public sealed class NotFoundPageTests : IAsyncLifetime
{
    private readonly PanelFactory _panel = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _panel.DisposeAsync();

    [Fact]
    public async Task UnknownPage_AskedByABrowser_IsAnHtmlPageWithALinkHome()
    {
        var (user, password) = await _panel.CreateUserAsync(Role.Viewer);
        using var browser = _panel.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        await FormSignIn.SignInAsync(browser, user, password);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/no-such-page");
        request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
        var response = await browser.SendAsync(request);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Nothing at this address", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/containers\">", html, StringComparison.Ordinal);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(html, "<h1[ >]"));
    }

    [Fact]
    public async Task UnknownApiPath_IsProblemDetails()
    {
        using var api = await _panel.CreateClientAsync(Role.Viewer);

        var response = await api.GetAsync("/api/no-such-thing");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"status\":404", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
