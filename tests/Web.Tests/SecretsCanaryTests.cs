using ControlPanel.Core.Security;
using ControlPanel.TestSupport;
using Microsoft.AspNetCore.Mvc.Testing;

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
        await api.GetAsync($"/api/nodes/{node.Name}/containers/{id}");                       // inspect: value masked
        await api.GetAsync($"/api/containers?text={_lab.RunId}");
        await api.PostAsync($"/api/nodes/{node.Name}/containers/{id}/restart?timeout=5", null); // succeeds
        await api.PostAsync($"/api/nodes/{node.Name}/containers/{id}/kill?signal=SIGBOGUS", null); // fails: bad input
        await api.PostAsync($"/api/nodes/{node.Name}/containers/no-such-{canary}/stop", null);     // fails: not found
        await api.GetAsync("/api/audit");
        using (var wrongToken = _factory.CreateDefaultClient(new CanarySearch.Recorder(_responses)))
        {
            wrongToken.DefaultRequestHeaders.Authorization = new("Bearer", token[..^4] + "abcd");
            await wrongToken.GetAsync("/api/nodes");                                            // fails: 401
            await wrongToken.GetAsync($"/api/nodes?access_token={token}");                       // a token in a URL is not read
        }
        using (var browser = _factory.CreateDefaultClient(new CanarySearch.Recorder(_responses)))
        {
            await FormSignIn.SignInAsync(browser, "canary-operator", password + "-wrong");                 // fails
            await FormSignIn.SignInAsync(browser, "canary-operator", password);                            // succeeds
            await browser.GetAsync("/containers");
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
