using System.Text.RegularExpressions;
using ControlPanel.TestSupport;

namespace ControlPanel.Web.Tests;

/// <summary>
/// Run from source (as the README's command and these tests run it), the panel still lets the browser keep MudBlazor's
/// and Blazor's files: their fingerprinted URLs are immutable, so a page load asks for none of them again.
/// </summary>
public sealed partial class StaticAssetCachingTests : IAsyncLifetime
{
    private readonly PanelFactory _factory = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task AFingerprintedAsset_IsCachedForAYear_AndItsPlainNameIsRevalidated()
    {
        using var browser = _factory.CreateClient();
        var page = await browser.GetStringAsync("/account/login");
        var fingerprinted = FingerprintedAsset().Matches(page).Select(m => m.Groups["url"].Value).Distinct().ToList();

        Assert.Contains(fingerprinted, url => url.StartsWith("_framework/blazor.web.", StringComparison.Ordinal));
        Assert.Contains(fingerprinted, url => url.StartsWith("_content/MudBlazor/MudBlazor.min.", StringComparison.Ordinal) && url.EndsWith(".css", StringComparison.Ordinal));
        foreach (var url in fingerprinted)
        {
            using var response = await browser.GetAsync(url);
            response.EnsureSuccessStatusCode();
            Assert.Equal("max-age=31536000, immutable", response.Headers.CacheControl?.ToString());
        }
        // The same file under its plain name may change with the next build, so the browser asks again for it.
        using var plain = await browser.GetAsync("_framework/blazor.web.js");
        plain.EnsureSuccessStatusCode();
        Assert.Equal("no-cache", plain.Headers.CacheControl?.ToString());
    }

    // An asset URL whose last name has a fingerprint before its extension: "_framework/blazor.web.9hsif5t8mt.js".
    [GeneratedRegex(@"(?:href|src|data-[a-z-]+)=""(?<url>(?:_framework|_content)/[^""]+\.[a-z0-9]{10}\.(?:js|css))""")]
    private static partial Regex FingerprintedAsset();
}
