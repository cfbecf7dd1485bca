using System.Text;
using System.Text.RegularExpressions;
using ControlPanel.Core.Security;
using ControlPanel.TestSupport;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;

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

        using var api = _factory.CreateDefaultClient(new Recorder(_responses));
        api.DefaultRequestHeaders.Authorization = new("Bearer", token);
        await api.GetAsync($"/api/nodes/{node.Name}/containers/{id}");                       // inspect: value masked
        await api.GetAsync($"/api/containers?text={_lab.RunId}");
        await api.PostAsync($"/api/nodes/{node.Name}/containers/{id}/restart?timeout=5", null); // succeeds
        await api.PostAsync($"/api/nodes/{node.Name}/containers/{id}/kill?signal=SIGBOGUS", null); // fails: bad input
        await api.PostAsync($"/api/nodes/{node.Name}/containers/no-such-{canary}/stop", null);     // fails: not found
        await api.GetAsync("/api/audit");
        using (var wrongToken = _factory.CreateDefaultClient(new Recorder(_responses)))
        {
            wrongToken.DefaultRequestHeaders.Authorization = new("Bearer", token[..^4] + "abcd");
            await wrongToken.GetAsync("/api/nodes");                                            // fails: 401
            await wrongToken.GetAsync($"/api/nodes?access_token={token}");                       // a token in a URL is not read
        }
        using (var browser = _factory.CreateDefaultClient(new Recorder(_responses)))
        {
            await FormSignIn.SignInAsync(browser, "canary-operator", password + "-wrong");                 // fails
            await FormSignIn.SignInAsync(browser, "canary-operator", password);                            // succeeds
            await browser.GetAsync("/containers");
        }

        string[] secrets = [password, envSecret, token, token.Split('_')[^1]];
        var forms = secrets.SelectMany(s => new[] { s, Base64(s), Base64Url(s) }).ToList();
        var hits = new List<string>();
        hits.AddRange(Search("log", _factory.Logs.Lines, forms));
        hits.AddRange(Search("API response", _responses, forms));
        hits.AddRange(Search("database", await DatabaseValuesAsync(), forms));
        Assert.Empty(hits);
        // The searches looked at real material: the log, the responses and the database are not empty.
        Assert.True(_factory.Logs.Lines.Count > 100, $"only {_factory.Logs.Lines.Count} log lines");
        Assert.True(_responses.Count >= 10);
        Assert.Contains(_responses, r => r.Contains("\"masked\":true", StringComparison.Ordinal));
    }

    private static IEnumerable<string> Search(string where, IEnumerable<string> texts, List<string> forms) =>
        from text in texts from form in forms where text.Contains(form, StringComparison.Ordinal) select $"{where}: {text[..Math.Min(200, text.Length)]}";

    private async Task<List<string>> DatabaseValuesAsync()
    {
        var file = _factory.SqliteFile;
        var values = new List<string>();
        await using var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly");
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new SqliteCommand("SELECT name FROM sqlite_master WHERE type = 'table'", connection))
        await using (var reader = await list.ExecuteReaderAsync())
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        foreach (var table in tables)
        {
            await using var select = new SqliteCommand($"SELECT * FROM \"{table}\"", connection);
            await using var rows = await select.ExecuteReaderAsync();
            while (await rows.ReadAsync())
                for (var i = 0; i < rows.FieldCount; i++)
                    if (!rows.IsDBNull(i)) values.Add(rows.GetValue(i) is byte[] bytes ? Encoding.UTF8.GetString(bytes) + " " + Convert.ToBase64String(bytes) : rows.GetValue(i).ToString()!);
        }
        Assert.Contains("audit_entries", tables);
        return values;
    }


    private static string Base64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s));

    private static string Base64Url(string s) => Base64(s).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Keeps every response body the test receives.</summary>
    private sealed class Recorder(List<string> bodies) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            lock (bodies) bodies.Add($"{(int)response.StatusCode} {body} {string.Join(";", response.Headers.Select(h => h.Key + "=" + string.Join(",", h.Value)))}");
            return response;
        }
    }
}
