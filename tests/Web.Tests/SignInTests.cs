using System.Net;
using System.Text.RegularExpressions;
using ControlPanel.Core.Security;
using ControlPanel.TestSupport;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPanel.Web.Tests;

public sealed class SignInTests : IAsyncLifetime
{
    private readonly PanelFactory _factory = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    private HttpClient Browser() => _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });


    [Fact]
    public async Task RightPassword_SignsIn_AndOpensThePages()
    {
        var (user, password) = await _factory.CreateUserAsync(Role.Viewer);
        using var browser = Browser();

        var response = await FormSignIn.SignInAsync(browser, user, password);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/containers", response.Headers.Location?.OriginalString);
        Assert.Contains("HttpOnly", string.Join(";", response.Headers.GetValues("Set-Cookie")), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/containers")).StatusCode);
    }

    [Fact]
    public async Task WrongPassword_GivesTheGenericMessage_AndFiveLockTheAccount()
    {
        var (user, password) = await _factory.CreateUserAsync(Role.Operator);
        using var browser = Browser();

        for (var i = 0; i < 5; i++)
        {
            var failed = await FormSignIn.SignInAsync(browser, user, "not the password at all");
            Assert.StartsWith("/account/login?error=1", failed.Headers.Location?.OriginalString, StringComparison.Ordinal);
        }
        // Locked: now even the right password is refused, with the same answer.
        var locked = await FormSignIn.SignInAsync(browser, user, password);
        Assert.StartsWith("/account/login?error=1", locked.Headers.Location?.OriginalString, StringComparison.Ordinal);
        var unknown = await FormSignIn.SignInAsync(browser, "nobody-by-this-name", "whatever");
        Assert.Equal(locked.Headers.Location, unknown.Headers.Location);

        var admin = await _factory.CreateClientAsync(Role.Admin);
        var audit = await admin.GetStringAsync($"/api/audit?action=user.signin.failed&text={user}");
        Assert.Equal(6, Regex.Count(audit, "\"action\":\"user.signin.failed\""));
        Assert.Contains("locked out", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownDisabledAndLockedUsers_CostOnePasswordCheck_LikeAKnownOne()
    {
        var hasher = new CountingPasswordHasher();
        _factory.ConfigureServices = services => services.AddSingleton<Microsoft.AspNetCore.Identity.IPasswordHasher<Infrastructure.Persistence.ControlPanelUser>>(hasher);
        var (known, _) = await _factory.CreateUserAsync(Role.Viewer);
        var (disabled, _) = await _factory.CreateUserAsync(Role.Viewer);
        var (locked, _) = await _factory.CreateUserAsync(Role.Viewer);
        await _factory.RunAsAdminAsync(services => services.GetRequiredService<IUserAdministration>().SetDisabledAsync(disabled, true, default));
        using var browser = Browser();
        for (var i = 0; i < 5; i++) await FormSignIn.SignInAsync(browser, locked, "not the password at all");

        // Each refusal must cost one key derivation: a quicker answer tells an attacker which names exist.
        foreach (var user in new[] { known, "nobody-by-this-name", disabled, locked })
        {
            var before = hasher.Verifications;
            var response = await FormSignIn.SignInAsync(browser, user, "not the password at all");
            Assert.StartsWith("/account/login?error=1", response.Headers.Location?.OriginalString, StringComparison.Ordinal);
            Assert.True(hasher.Verifications - before == 1, $"{user}: {hasher.Verifications - before} password checks");
        }
    }

    [Theory]
    [InlineData("/\t/evil.example")]
    [InlineData("/\n/evil.example")]
    [InlineData("/containers\r\nSet-Cookie: x=y")]
    public async Task ReturnUrl_WithAControlCharacter_GoesToTheContainersPage(string escaped)
    {
        var returnUrl = System.Text.RegularExpressions.Regex.Unescape(escaped);
        var (user, password) = await _factory.CreateUserAsync(Role.Viewer);
        using var browser = Browser();

        var response = await FormSignIn.SignInAsync(browser, user, password, returnUrl);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/containers", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task SignInAttempts_AreRateLimitedPerClientAddress()
    {
        using var browser = Browser();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 12; i++) statuses.Add((await FormSignIn.SignInAsync(browser, $"someone-{i}", "wrong")).StatusCode);
        Assert.Equal(10, statuses.Count(s => s == HttpStatusCode.Redirect));
        Assert.Equal(2, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task SignInForm_WithoutAntiforgeryToken_IsRefused()
    {
        var (user, password) = await _factory.CreateUserAsync(Role.Viewer);
        using var browser = Browser();
        var response = await browser.PostAsync("/account/signin", new FormUrlEncodedContent(new Dictionary<string, string> { ["userName"] = user, ["password"] = password }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task SignInCookie_ReadsTheApi_ButCannotChangeAnything_NorSignOutWithoutTheFormsToken()
    {
        var (user, password) = await _factory.CreateUserAsync(Role.Operator);
        using var browser = Browser();
        Assert.Equal(HttpStatusCode.Redirect, (await FormSignIn.SignInAsync(browser, user, password)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/nodes")).StatusCode);
        // An operator may restart containers, but not with the cookie alone: a forged form post carries only that.
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.PostAsync("/api/nodes/node1/containers/anything/restart", null)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await browser.PostAsync("/account/signout", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/nodes")).StatusCode); // still signed in
    }

    [Fact]
    public async Task ExpiredRevokedOrQueryStringTokens_Get401()
    {
        var (user, _) = await _factory.CreateUserAsync(Role.Viewer);
        var token = await _factory.CreateTokenAsync(user);
        using var client = _factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/nodes")).StatusCode);

        using var plain = _factory.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await plain.GetAsync($"/api/nodes?access_token={token}")).StatusCode);
        client.DefaultRequestHeaders.Authorization = new("Bearer", token[..^2] + "xx");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/nodes")).StatusCode);

        await _factory.RunAsAdminAsync(async services =>
        {
            var tokens = services.GetRequiredService<IApiTokens>();
            var id = (await tokens.ListAsync(user, default)).Single().Id;
            Assert.True(await tokens.RevokeAsync(user, id, default));
        });
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/nodes")).StatusCode);

        await _factory.RunAsAdminAsync(async services =>
        {
            var ex = await Assert.ThrowsAsync<Core.Common.InvalidRequestException>(() =>
                services.GetRequiredService<IApiTokens>().CreateAsync(user, "old", DateTimeOffset.UtcNow.AddMinutes(-1), default));
            Assert.Equal("expiresAt", ex.Field);
        });
    }

    [Fact]
    public async Task DisabledUser_TokenStopsWorking()
    {
        var (user, _) = await _factory.CreateUserAsync(Role.Operator);
        using var client = _factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", await _factory.CreateTokenAsync(user));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/nodes")).StatusCode);

        await _factory.RunAsAdminAsync(services => services.GetRequiredService<IUserAdministration>().SetDisabledAsync(user, true, default));

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/nodes")).StatusCode);
    }

    [Fact]
    public async Task WithoutAnyAdmin_ThereIsNoSetupPage_OnlySignIn()
    {
        using var browser = Browser();
        foreach (var path in new[] { "/account/setup", "/setup", "/account/register" })
        {
            var response = await browser.GetAsync(path);
            Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Redirect, $"{path}: {(int)response.StatusCode}");
            if (response.StatusCode == HttpStatusCode.Redirect) Assert.StartsWith("http://localhost/account/login", response.Headers.Location!.ToString(), StringComparison.Ordinal);
        }
        var home = await browser.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.Contains("/account/login", home.Headers.Location!.ToString(), StringComparison.Ordinal);
    }
}
