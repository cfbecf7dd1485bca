using System.Net;
using ControlPanel.Core.Security;
using ControlPanel.TestSupport;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;

namespace ControlPanel.Web.Tests;

/// <summary>
/// Plants canary secrets — a password, an API token, a secret environment value — runs succeeding and
/// failing operations with debug logging on, then searches the app's log, every database value and
/// every API response for them, plain, base64 and base64url: zero hits.
/// </summary>
public sealed class SecretsCanaryTests : IAsyncLifetime
{
    private readonly PanelFactory _factory = new() { DebugLogging = true };
    private readonly LabContainers _lab = new();
    private readonly List<string> _responses = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _lab.DisposeAsync();
        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task CanarySecrets_AppearNowhere()
    {
        var canary = "canary-" + Guid.NewGuid().ToString("N");
        var password = canary + "-password";
        var envSecret = canary + "-env";

        // A user whose password is a canary, and their API token (the token itself is secret).
        string token = "";
        await _factory.RunAsAdminAsync(async s =>
        {
            await Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<IUserAdministration>(s)
                .CreateAsync("canary-operator", password, Role.Operator, default);
        });
        token = await _factory.CreateTokenAsync("canary-operator");
        var node = Lab.SharedNodes[0];
        var id = await _lab.RunAsync(node, "sigquit", "canary", new Dictionary<string, string> { ["APP_SECRET"] = envSecret }, stopSignal: "SIGQUIT");

        using var api = _factory.CreateDefaultClient(new CanarySearch.Recorder(_responses));
        api.DefaultRequestHeaders.Authorization = new("Bearer", token);
        // Each call is checked to have gone the way its comment says: a canary search over calls that all failed early would prove little.
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"/api/nodes/{node.Name}/containers/{id}")).StatusCode);                 // inspect: value masked
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"/api/containers?text={_lab.RunId}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync($"/api/nodes/{node.Name}/containers/{id}/restart?timeout=5", null)).StatusCode); // succeeds
        Assert.Equal(HttpStatusCode.BadRequest, (await api.PostAsync($"/api/nodes/{node.Name}/containers/{id}/kill?signal=SIGBOGUS", null)).StatusCode); // fails: bad input
        Assert.Equal(HttpStatusCode.NotFound, (await api.PostAsync($"/api/nodes/{node.Name}/containers/no-such-{canary}/stop", null)).StatusCode);  // fails: not found
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/audit")).StatusCode);
        using (var wrongToken = _factory.CreateDefaultClient(new CanarySearch.Recorder(_responses)))
        {
            wrongToken.DefaultRequestHeaders.Authorization = new("Bearer", token[..^4] + "abcd");
            Assert.Equal(HttpStatusCode.Unauthorized, (await wrongToken.GetAsync("/api/nodes")).StatusCode);                       // fails: 401
            Assert.Equal(HttpStatusCode.Unauthorized, (await wrongToken.GetAsync($"/api/nodes?access_token={token}")).StatusCode); // a token in a URL is not read
        }
        // A browser keeps cookies: the sign-in form's antiforgery cookie, then the session cookie.
        using (var browser = _factory.CreateDefaultClient(new CanarySearch.Recorder(_responses), new CookieContainerHandler()))
        {
            var refused = await FormSignIn.SignInAsync(browser, "canary-operator", password + "-wrong");                   // fails
            Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
            Assert.StartsWith("/account/login?error=1", refused.Headers.Location?.OriginalString, StringComparison.Ordinal);
            var signedIn = await FormSignIn.SignInAsync(browser, "canary-operator", password);                              // succeeds
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
            Assert.Equal("/containers", signedIn.Headers.Location?.OriginalString);
            Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/containers")).StatusCode);
        }

        // The token is cpt_<id>_<secret>, and the secret may itself contain '_': split off the first two parts only.
        string[] secrets = [password, envSecret, token, token.Split('_', 3)[2]];
        var forms = CanarySearch.Forms(secrets);
        var hits = new List<string>();
        hits.AddRange(CanarySearch.Search("log", _factory.Logs.Lines, forms));
        hits.AddRange(CanarySearch.Search("API response", _responses, forms));
        hits.AddRange(CanarySearch.Search("database", await CanarySearch.DatabaseValuesAsync(_factory.SqliteFile), forms));
        Assert.True(hits.Count == 0, string.Join("\n", hits.Take(10)));
        // The searches looked at real material: the log, the responses and the database are not empty.
        Assert.True(_factory.Logs.Lines.Count > 100, $"only {_factory.Logs.Lines.Count} log lines");
        Assert.True(_responses.Count >= 10);
        Assert.Contains(_responses, r => r.Contains("\"masked\":true", StringComparison.Ordinal));
    }
}
