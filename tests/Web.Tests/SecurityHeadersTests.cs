using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using ControlPanel.TestSupport;

namespace ControlPanel.Web.Tests;

public sealed class SecurityHeadersTests : IAsyncLifetime
{
    private readonly PanelFactory _factory = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task ContentSecurityPolicy_LetsScriptsConnectOnlyToThePanelsOwnOrigin()
    {
        using var browser = _factory.CreateClient();
        var response = await browser.GetAsync("/account/login");

        var policy = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        var connect = Regex.Match(policy, "connect-src ([^;]*)").Groups[1].Value;
        Assert.Equal("'self' ws://localhost", connect);
    }

    [Fact]
    public async Task ContentSecurityPolicy_AllowsThePagesBootScriptByItsHash_AndNoOtherInlineScript()
    {
        using var browser = _factory.CreateClient();
        var response = await browser.GetAsync("/account/login");
        var page = await response.Content.ReadAsStringAsync();

        var policy = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        var scriptSources = Regex.Match(policy, "script-src ([^;]*)").Groups[1].Value.Split(' ');
        var inline = Assert.Single(Regex.Matches(page, "<script(?![^>]*\\ssrc=)[^>]*>(.*?)</script>", RegexOptions.Singleline));
        var hash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(inline.Groups[1].Value)));
        Assert.Equal(["'self'", $"'sha256-{hash}'"], scriptSources);
        Assert.Contains("Blazor.start", inline.Groups[1].Value, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http", "evil.example;script-src", "'self'")]
    [InlineData("https", "panel.example:8443", "'self' wss://panel.example:8443")]
    public void ContentSecurityPolicy_NamesOnlyAPlainHost(string scheme, string host, string expected)
    {
        var policy = Security.SecurityHeaders.ContentSecurityPolicy(scheme, host, "'sha256-AAAA'");

        Assert.Equal(1, Regex.Count(policy, "script-src"));
        Assert.Equal(expected, Regex.Match(policy, "connect-src ([^;]*)").Groups[1].Value);
    }
}
