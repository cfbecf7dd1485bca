using ControlPanel.Core.Security;
using ControlPanel.TestSupport;
using Microsoft.Playwright;

namespace ControlPanel.EndToEnd.Tests;

/// <summary>An Admin sets up a webhook and sends a test by clicking; a Viewer is offered no Webhooks page.</summary>
public sealed class WebhooksPageEndToEndTests : BrowserTestBase
{
    [Fact]
    public async Task Admin_AddsWebhook_AndSendTestShowsTheReceiversStatus()
    {
        await using var receiver = new WebhookReceiver(202);
        var page = await SignInAsync(await UserAsync(Role.Admin));
        await page.SetViewportSizeAsync(1440, 900);

        await page.GetByRole(AriaRole.Link, new() { Name = "Webhooks", Exact = true }).ClickAsync();
        await Input(page, "[data-testid=webhook-name]").FillAsync("on-call");
        await Input(page, "[data-testid=webhook-url]").FillAsync(receiver.Url);
        // A kind only this panel's own builds raise: the shared lab's engines, where other tests' containers are OOM-killed or
        // crash, cannot add deliveries to the log this test counts.
        await Input(page, "[data-kind=BuildFailed]").CheckAsync();
        await Input(page, "[data-testid=webhook-secret-input]").FillAsync("page-secret-canary");
        await page.Locator("[data-testid=save-webhook]").ClickAsync();
        // Loopback is refused until the Admin allows it explicitly.
        await Assertions.Expect(page.Locator("[data-testid=webhook-error]")).ToContainTextAsync("'url' points at 127.0.0.1");

        await Input(page, "[data-testid=webhook-allow-private]").CheckAsync();
        await page.Locator("[data-testid=save-webhook]").ClickAsync();
        var row = page.Locator("tr[data-webhook=on-call]");
        await Assertions.Expect(row.Locator("[data-testid=webhook-secret]")).ToHaveTextAsync("set");
        Assert.DoesNotContain("page-secret-canary", await page.ContentAsync());

        await row.Locator("[data-testid=send-test]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=test-result]")).ToContainTextAsync("the receiver answered 202");
        Assert.Single(receiver.Requests);

        await row.Locator("[data-testid=show-log]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=delivery-log] tr[data-attempt]")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("[data-testid=delivery-log]")).ToContainTextAsync("202");
        Assert.True(receiver.Requests.First().Headers.ContainsKey("X-ControlPanel-Signature"));

        // The secret can be taken away again: deliveries then go unsigned.
        await row.Locator("[data-testid=edit-webhook]").ClickAsync();
        await Input(page, "[data-testid=webhook-remove-secret]").CheckAsync();
        await page.Locator("[data-testid=save-webhook]").ClickAsync();
        await Assertions.Expect(row.Locator("[data-testid=webhook-secret]")).ToHaveTextAsync("not set");
        await row.Locator("[data-testid=send-test]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=delivery-log] tr[data-attempt]")).ToHaveCountAsync(2);
        Assert.Equal(2, receiver.Requests.Count);
        Assert.False(receiver.Requests.Last().Headers.ContainsKey("X-ControlPanel-Signature"));
    }

    // MudBlazor puts a field's attributes on its input element.
    private static ILocator Input(IPage page, string selector) => page.Locator($"input{selector}, {selector} input").First;

    [Fact]
    public async Task Viewer_SeesNoWebhooksLink()
    {
        var page = await SignInAsync(await UserAsync(Role.Viewer));
        await page.SetViewportSizeAsync(1440, 900);

        await Assertions.Expect(page.Locator("nav.app-nav")).ToContainTextAsync("Containers");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Webhooks", Exact = true })).ToHaveCountAsync(0);
    }
}
