using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ControlPanel.Core.Security;
using ControlPanel.TestSupport;
using Microsoft.Data.Sqlite;

namespace ControlPanel.Web.Tests;

/// <summary>
/// Nodes an Admin adds, changes and removes through the API, against the lab's real engines: the TLS engine (the only
/// engine nothing else uses) for the certificate path, the shared unix engines for the rest.
/// </summary>
public sealed class StoredNodesApiTests : ApiTestBase
{
    private static readonly string Certificates = Lab.Current.Tls.ClientCertificates;
    private static string Pem(string folder, string file) => File.ReadAllText(Path.Combine(folder, file));

    // A line from the middle of the private key: it must appear in no response, log line or database column.
    private static readonly string KeyLine = Pem(Certificates, "key.pem").Split('\n', StringSplitOptions.RemoveEmptyEntries)[1];

    private async Task<HttpClient> AdminAsync() => await Factory.CreateClientAsync(Role.Admin);

    private static object TlsNode(string name, string certificates, object? labels = null) => new
    {
        name, endpoint = Lab.Current.Tls.Endpoint, labels,
        caPem = Pem(Certificates, "ca.pem"), certificatePem = Pem(certificates, "cert.pem"), keyPem = Pem(certificates, "key.pem"),
    };

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    private async Task<JsonElement?> ListedAsync(HttpClient http, string name) =>
        JsonDocument.Parse(await http.GetStringAsync("/api/nodes")).RootElement.EnumerateArray()
            .Select(n => (JsonElement?)n).FirstOrDefault(n => n!.Value.GetProperty("name").GetString() == name);

    private async Task<(long Rows, string? ProtectedKey)> StoredRowAsync(string name)
    {
        await using var db = new SqliteConnection($"Data Source={Factory.SqliteFile};Mode=ReadOnly;Pooling=False");
        await db.OpenAsync();
        await using var query = new SqliteCommand("SELECT count(*), max(ProtectedKey) FROM stored_nodes WHERE Name = $name", db);
        query.Parameters.AddWithValue("$name", name);
        await using var reader = await query.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetString(1));
    }

    [Fact]
    public async Task AddTlsNode_IsListedAndReadable_KeyStoredEncrypted_AndNeverReturned()
    {
        var http = await AdminAsync();
        var added = await http.PostAsJsonAsync("/api/nodes", TlsNode("stored-tls", Certificates, new { role = "web" }));
        var addedBody = await added.Content.ReadAsStringAsync();
        Assert.True(added.StatusCode == HttpStatusCode.Created, addedBody);

        var listed = await ListedAsync(http, "stored-tls") ?? throw new Xunit.Sdk.XunitException("the stored node is not listed");
        Assert.Equal("Stored", listed.GetProperty("origin").GetString());
        Assert.Equal("Reachable", listed.GetProperty("status").GetString());
        Assert.Equal("web", listed.GetProperty("labels").GetProperty("role").GetString());
        var certificate = listed.GetProperty("certificate");
        Assert.True(certificate.GetProperty("keyStored").GetBoolean());
        Assert.Contains("CN=", certificate.GetProperty("subject").GetString(), StringComparison.Ordinal);

        // Its containers come over the stored certificates; nothing else uses this engine, so the engine's own count agrees.
        var overview = JsonDocument.Parse(await http.GetStringAsync("/api/nodes/stored-tls")).RootElement;
        var engine = overview.GetProperty("node").GetProperty("engine");
        Assert.Equal(engine.GetProperty("containersRunning").GetInt32() + engine.GetProperty("containersPaused").GetInt32() + engine.GetProperty("containersStopped").GetInt32(),
            overview.GetProperty("containers").GetArrayLength());

        var (rows, protectedKey) = await StoredRowAsync("stored-tls");
        Assert.Equal(1, rows);
        Assert.False(string.IsNullOrEmpty(protectedKey));
        Assert.DoesNotContain("PRIVATE KEY", protectedKey, StringComparison.Ordinal);
        Assert.DoesNotContain(KeyLine, protectedKey, StringComparison.Ordinal);
        var raw = await File.ReadAllBytesAsync(Factory.SqliteFile);
        Assert.DoesNotContain(KeyLine, System.Text.Encoding.ASCII.GetString(raw), StringComparison.Ordinal);

        foreach (var text in new[] { addedBody, await http.GetStringAsync("/api/nodes"), overview.GetRawText(), await http.GetStringAsync("/api/audit?text=stored-tls") })
        {
            Assert.DoesNotContain("PRIVATE KEY", text, StringComparison.Ordinal);
            Assert.DoesNotContain(KeyLine, text, StringComparison.Ordinal);
        }
        Assert.DoesNotContain(Factory.Logs.Lines, l => l.Contains(KeyLine, StringComparison.Ordinal) || l.Contains("PRIVATE KEY", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EditWithoutCertificates_KeepsThem_AndRemove_ForgetsTheNode()
    {
        var http = await AdminAsync();
        Assert.Equal(HttpStatusCode.Created, (await http.PostAsJsonAsync("/api/nodes", TlsNode("stored-edit", Certificates))).StatusCode);
        var keyBefore = (await StoredRowAsync("stored-edit")).ProtectedKey;

        var edited = await http.PutAsJsonAsync("/api/nodes/stored-edit", new { endpoint = Lab.Current.Tls.Endpoint, labels = new { zone = "b" } });
        Assert.True(edited.IsSuccessStatusCode, await edited.Content.ReadAsStringAsync());
        var listed = await ListedAsync(http, "stored-edit");
        Assert.Equal("b", listed!.Value.GetProperty("labels").GetProperty("zone").GetString());
        Assert.Equal("Reachable", listed.Value.GetProperty("status").GetString());
        Assert.Equal(keyBefore, (await StoredRowAsync("stored-edit")).ProtectedKey);

        var removed = await http.DeleteAsync("/api/nodes/stored-edit");
        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        Assert.Equal("no panel replicas", (await JsonAsync(removed)).GetProperty("replicaCheck").GetString());
        Assert.Null(await ListedAsync(http, "stored-edit"));
        Assert.Equal(0, (await StoredRowAsync("stored-edit")).Rows);
        Assert.Equal(HttpStatusCode.NotFound, (await http.DeleteAsync("/api/nodes/stored-edit")).StatusCode);
        var audit = await http.GetStringAsync("/api/audit?text=stored-edit");
        foreach (var action in new[] { "node.add", "node.edit", "node.remove" }) Assert.Contains(action, audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EditUnixNode_MovesItsEndpoint_AndRemoveIsRefusedWhileItRunsPanelReplicas()
    {
        var http = await AdminAsync();
        var service = $"stored-{Containers.RunId}";
        var node1 = Lab.SharedNodes[0];
        Assert.Equal(HttpStatusCode.Created, (await http.PostAsJsonAsync("/api/nodes", new { name = service, endpoint = Lab.SharedNodes[1].Endpoint })).StatusCode);
        var edited = await http.PutAsJsonAsync($"/api/nodes/{service}", new { endpoint = node1.Endpoint, labels = new { moved = "yes" } });
        Assert.True(edited.IsSuccessStatusCode, await edited.Content.ReadAsStringAsync());
        Assert.Equal(node1.Endpoint, (await ListedAsync(http, service))!.Value.GetProperty("endpoint").GetString());

        var replica = await Containers.RunAsync(node1, "web", "replica", start: false, labels: new Dictionary<string, string> { ["controlpanel.service"] = service });
        var refused = await http.DeleteAsync($"/api/nodes/{service}");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var problem = await JsonAsync(refused);
        Assert.Contains(service, problem.GetProperty("services").EnumerateArray().Select(s => s.GetString()));
        Assert.NotNull(await ListedAsync(http, service));

        await Containers.Client(node1).Containers.RemoveContainerAsync(replica, new() { Force = true });
        // Other tests' replicas may share this engine; the refusal above is what this test is about, so removal is checked on its own.
        var removed = await http.DeleteAsync($"/api/nodes/{service}");
        if (removed.StatusCode == HttpStatusCode.Conflict)
            Assert.DoesNotContain(service, (await JsonAsync(removed)).GetProperty("services").EnumerateArray().Select(s => s.GetString()));
        else
            Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
    }

    [Fact]
    public async Task UnreachableOrInvalidNodes_AreRefusedBeforeSaving_NamingTheField_WithTheEnginesWords()
    {
        var http = await AdminAsync();
        var closedPort = LabContainers.NextPort();
        var cases = new (object Body, string Field, string Words)[]
        {
            (new { name = "bad-socket", endpoint = "unix:///var/tmp/controlpanel-lab/nowhere/docker.sock" }, "endpoint", "no Docker socket at /var/tmp/controlpanel-lab/nowhere/docker.sock"),
            (new { name = "bad-port", endpoint = $"tcp://127.0.0.1:{closedPort}", allowInsecureTcp = true }, "endpoint", "Connection refused"),
            (TlsNode("bad-cert", Lab.Current.Tls.WrongClientCertificates), "endpoint", "The connection test failed"),
            (new { name = "bad-plain", endpoint = Lab.Current.Tls.Endpoint }, "certificatePem", "tcp:// without TLS is refused"),
            (new { name = "bad-key", endpoint = Lab.Current.Tls.Endpoint, caPem = Pem(Certificates, "ca.pem"), certificatePem = Pem(Certificates, "cert.pem"), keyPem = Pem(Lab.Current.Tls.WrongClientCertificates, "key.pem") }, "keyPem", "is not the PEM private key"),
            (new { name = "node1", endpoint = Lab.SharedNodes[0].Endpoint }, "name", "comes from the panel's configuration"),
            (new { name = "bad name!", endpoint = Lab.SharedNodes[0].Endpoint }, "name", "'name' must be"),
        };
        foreach (var (body, field, words) in cases)
        {
            var response = await http.PostAsJsonAsync("/api/nodes", body);
            var problem = await JsonAsync(response);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{words}: {problem.GetRawText()}\n{string.Join("\n", Factory.Logs.Lines.TakeLast(5))}");
            var message = problem.GetProperty("errors").GetProperty(field)[0].GetString();
            Assert.Contains(words, message, StringComparison.OrdinalIgnoreCase);
        }
        foreach (var name in new[] { "bad-socket", "bad-port", "bad-cert", "bad-plain", "bad-key" })
        {
            Assert.Equal(0, (await StoredRowAsync(name)).Rows);
            Assert.Null(await ListedAsync(http, name));
        }
        var failed = await http.GetStringAsync("/api/audit?action=node.add&succeeded=false");
        Assert.Contains("bad-port", failed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TestConnection_AnswersWithTheEnginesFacts_AndStoresNothing()
    {
        var http = await AdminAsync();
        var response = await http.PostAsJsonAsync("/api/nodes/test", TlsNode("tested-only", Certificates));
        var body = await JsonAsync(response);
        Assert.True(response.IsSuccessStatusCode, body.GetRawText());
        Assert.Equal("1.41", body.GetProperty("apiVersion").GetString());
        Assert.Equal(0, (await StoredRowAsync("tested-only")).Rows);
        Assert.Null(await ListedAsync(http, "tested-only"));
    }

    [Fact]
    public async Task AnOperator_CannotAddANode()
    {
        var response = await Http.PostAsJsonAsync("/api/nodes", new { name = "by-operator", endpoint = Lab.SharedNodes[0].Endpoint });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(0, (await StoredRowAsync("by-operator")).Rows);
    }
}
