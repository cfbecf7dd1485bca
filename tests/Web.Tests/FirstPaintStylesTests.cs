using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using ControlPanel.Core.Security;
using ControlPanel.TestSupport;
using ControlPanel.Web.Components.Layout;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ControlPanel.Web.Tests;

/// <summary>
/// Each page's head carries the MudBlazor rules that page uses (listed for it in css/first-paint.json), not every
/// page's; a page not listed there gets them all. Whether those rules paint the page right is checked in Chromium
/// (FirstPaintStylesheetTests).
/// </summary>
public sealed partial class FirstPaintStylesTests : IAsyncLifetime
{
    private readonly PanelFactory _panel = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _panel.DisposeAsync();

    [Theory]
    [InlineData("/", "home")]
    [InlineData("/containers", "containers")]
    [InlineData("/nodes/{Node}/containers/{Id}", "nodes-node-containers-id")]
    [InlineData("/builds/{Id:guid}", "builds-id")]
    [InlineData("/account/login", "account-login")]
    [InlineData(null, "other")]
    public void KeyOf_ARouteTemplate_IsItsWordsJoinedByDashes(string? template, string key) =>
        Assert.Equal(key, FirstPaintStyles.KeyOf(template));

    [Fact]
    public async Task APage_CarriesItsOwnRules_AndAPageNotListed_EveryRule()
    {
        var (user, password) = await _panel.CreateUserAsync(Role.Viewer);
        using var browser = _panel.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        await FormSignIn.SignInAsync(browser, user, password);

        var containers = await FirstPaintStyleAsync(browser, "/containers", HttpStatusCode.OK);
        var unknown = await FirstPaintStyleAsync(browser, "/no-such-page", HttpStatusCode.NotFound);

        using var file = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(PanelFactory.WebProjectDirectory(), "wwwroot", "css", "first-paint.json")));
        var rules = file.RootElement.GetProperty("rules").EnumerateArray().Select(r => r.GetString()!).ToList();
        var containersRules = file.RootElement.GetProperty("pages").GetProperty("containers").EnumerateArray().Select(i => rules[i.GetInt32()]).ToList();
        Assert.Equal("containers", containers.Key);
        Assert.Equal(string.Join('\n', containersRules), containers.Css);
        Assert.Equal("not-found", unknown.Key); // the not-found page is rendered for it, and the generator visits no such page
        Assert.Equal(string.Join('\n', rules), unknown.Css);
        Assert.True(containersRules.Count * 2 < rules.Count, $"the containers page uses {containersRules.Count} of {rules.Count} rules");
    }

    private static async Task<(string Key, string Css)> FirstPaintStyleAsync(HttpClient browser, string path, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("text/html");
        using var response = await browser.SendAsync(request);
        Assert.Equal(expected, response.StatusCode);
        var style = FirstPaintStyle().Match(await response.Content.ReadAsStringAsync());
        Assert.True(style.Success, $"{path} has no first-paint style element");
        return (style.Groups["key"].Value, style.Groups["css"].Value);
    }

    [GeneratedRegex("""<style data-first-paint="(?<key>[^"]*)">(?<css>.*?)</style>""", RegexOptions.Singleline)]
    private static partial Regex FirstPaintStyle();
}
