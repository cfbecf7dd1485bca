using ControlPanel.Core.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace ControlPanel.EndToEnd.Tests;

public sealed class SecurityEndToEndTests : BrowserTestBase
{
    [Fact]
    public async Task DisablingAUser_CutsTheirOpenPage_WithinTheRevalidationInterval()
    {
        var user = await UserAsync(Role.Operator);
        var page = await SignInAsync(user);
        await Assertions.Expect(page.Locator("[data-testid=signed-in-as]")).ToHaveTextAsync(user.UserName);

        await Panel.RunAsAdminAsync(s => s.GetRequiredService<IUserAdministration>().SetDisabledAsync(user.UserName, true, default));

        // The circuit re-checks its user every 30 s; allow that plus a little.
        await Assertions.Expect(page.Locator("[data-testid=not-authorized]")).ToBeVisibleAsync(new() { Timeout = 40_000 });
        await Assertions.Expect(page.Locator("tr[data-container]")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task SignOutButton_SignsOut_WithTheFormsToken()
    {
        var user = await UserAsync(Role.Viewer);
        var page = await SignInAsync(user);
        await page.Locator("[data-circuit=on]").WaitForAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();

        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/account/login"));
        await page.GotoAsync($"{BaseUrl}/containers");
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/account/login"));
        Assert.Equal(0, await page.Locator("[data-testid=signed-in-as]").CountAsync());
    }

    [Fact]
    public async Task EveryPage_RendersWithoutAContentSecurityPolicyViolation()
    {
        var node = ControlPanel.TestSupport.Lab.SharedNodes[0];
        var id = await Containers.RunAsync(node, "web", "csp", new Dictionary<string, string> { ["PORT"] = ControlPanel.TestSupport.LabContainers.NextPort().ToString() });
        var violations = new List<string>();
        var context = await Browser.NewContextAsync();
        // Injected by the browser, outside the page's CSP: reports every violation the page causes.
        await context.AddInitScriptAsync("document.addEventListener('securitypolicyviolation', e => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));");
        var page = await context.NewPageAsync();
        page.Console += (_, m) => { if (m.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase) || m.Text.StartsWith("CSP violation", StringComparison.Ordinal)) violations.Add($"{page.Url}: {m.Text}"); };

        var admin = await UserAsync(Role.Admin);
        var login = await page.GotoAsync($"{BaseUrl}/account/login");
        Assert.Contains("script-src 'self'", login!.Headers["content-security-policy"], StringComparison.Ordinal);
        await page.Locator("input[name=userName]").FillAsync(admin.UserName);
        await page.Locator("input[name=password]").FillAsync(admin.Password);
        await page.Locator("button[type=submit]").ClickAsync();
        await page.WaitForURLAsync($"{BaseUrl}/containers");

        foreach (var path in new[] { "/containers", "/nodes", $"/nodes/{node.Name}", $"/nodes/{node.Name}/containers/{id}", "/audit", "/users", "/tokens" })
        {
            await page.GotoAsync(BaseUrl + path);
            await page.Locator("[data-interactive=true], .mud-main-content").First.WaitForAsync();
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        }

        Assert.Empty(violations);
    }

    [Fact]
    public async Task TokenCreatedInTheUi_IsShownOnce_AndWorksForTheApiUntilRevoked()
    {
        var page = await SignInAsync(await UserAsync(Role.Viewer));
        await page.GotoAsync($"{BaseUrl}/tokens");
        await page.Locator("[data-circuit=on]").WaitForAsync();
        await page.Locator("input[data-testid=token-name], [data-testid=token-name] input").First.FillAsync("ci pipeline");
        await page.Locator("[data-testid=create-token]").ClickAsync();
        var token = (await page.Locator("[data-testid=new-token]").TextContentAsync())!.Trim();
        Assert.StartsWith("cpt_", token, StringComparison.Ordinal);

        using var api = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        api.DefaultRequestHeaders.Authorization = new("Bearer", token);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await api.GetAsync("/api/nodes")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await api.PostAsync("/api/nodes/node1/containers/x/restart", null)).StatusCode);

        await page.ReloadAsync();
        await page.Locator("[data-circuit=on]").WaitForAsync();
        await Assertions.Expect(page.Locator("[data-testid=new-token]")).ToHaveCountAsync(0); // shown once
        await page.Locator("[data-action=revoke]").ClickAsync();
        await Assertions.Expect(page.Locator("tr[data-token] td").Nth(5)).ToHaveTextAsync("revoked");
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await api.GetAsync("/api/nodes")).StatusCode);
    }
}
