using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace ControlPanel.Web.Tests;

/// <summary>Service definitions and registries through the API: revisions, validation, write-only passwords.</summary>
public sealed class ServicesApiTests : BuildTestBase
{
    [Fact]
    public async Task EachChange_IsANewRevision_AnUnchangedSaveIsNot_AndHistoryKeepsEveryOne()
    {
        var name = $"svc-{Unique}";
        await DefineServiceAsync(name);
        var unchanged = await Deployer.PutAsJsonAsync($"/api/services/{name}", Definition(buildArgs: null));
        var changed = await Deployer.PutAsJsonAsync($"/api/services/{name}", Definition(buildArgs: new() { ["MODE"] = "fast" }));

        Assert.False((await unchanged.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("changed").GetBoolean());
        var saved = await changed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(saved.GetProperty("changed").GetBoolean());
        Assert.Equal(2, saved.GetProperty("service").GetProperty("revision").GetInt32());
        var history = await Deployer.GetFromJsonAsync<JsonElement>($"/api/services/{name}/revisions");
        Assert.Equal([2, 1], history.EnumerateArray().Select(r => r.GetProperty("revision").GetInt32()));
        var first = await Deployer.GetFromJsonAsync<JsonElement>($"/api/services/{name}?revision=1");
        Assert.Empty(first.GetProperty("build").GetProperty("buildArgs").EnumerateObject());
        var audit = await Admin.GetStringAsync($"/api/audit?text={name}");
        Assert.Contains("service.create", audit, StringComparison.Ordinal);
        Assert.Contains("service.change", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AValueWithASecretLookingName_IsStoredAsASecret_EvenWhenNotMarkedSo()
    {
        var name = $"svc-{Unique}";
        var runtime = new { environment = new object[] { new { name = "DB_PASSWORD", value = "canary-pw-41c9" }, new { name = "MODE", value = "prod" } } };

        var saved = await Deployer.PutAsJsonAsync($"/api/services/{name}",
            new { repositoryUrl = Repo.Path, branch = "main", registry = "lab", imageRepository = $"tests/{name}", runtime });

        Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());
        var service = await Deployer.GetFromJsonAsync<JsonElement>($"/api/services/{name}");
        var environment = service.GetProperty("runtime").GetProperty("environment").EnumerateArray().ToList();
        Assert.Equal(2, environment.Count);
        var password = Assert.Single(environment, e => e.GetProperty("name").GetString() == "DB_PASSWORD");
        Assert.True(password.GetProperty("secret").GetBoolean());
        Assert.Equal(Core.Fleet.SecretMasking.Mask, password.GetProperty("value").GetString());
        Assert.Equal("prod", Assert.Single(environment, e => e.GetProperty("name").GetString() == "MODE").GetProperty("value").GetString());
        Assert.DoesNotContain("canary-pw-41c9", await saved.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // A client that sends its whole spec again, in plain text, changes nothing: no new revision.
        var again = await Deployer.PutAsJsonAsync($"/api/services/{name}",
            new { repositoryUrl = Repo.Path, branch = "main", registry = "lab", imageRepository = $"tests/{name}", runtime });
        Assert.False((await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("changed").GetBoolean());
    }

    [Fact]
    public async Task AMisspelledServiceField_IsRefusedNamingIt_NotDropped()
    {
        var body = $$"""{ "repositoryUrl": {{JsonSerializer.Serialize(Repo.Path)}}, "branhc": "release", "registry": "lab", "imageRepository": "tests/bad" }""";

        var response = await Deployer.PutAsync($"/api/services/typo-{Unique}", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").TryGetProperty("branhc", out _));
        Assert.Equal(HttpStatusCode.NotFound, (await Deployer.GetAsync($"/api/services/typo-{Unique}")).StatusCode);
    }

    [Theory]
    [InlineData("""{ "environment": null }""", "runtime.environment")]
    [InlineData("""{ "environment": [ { "name": "MODE", "value": null } ] }""", "runtime.environment")]
    [InlineData("""{ "update": null }""", "runtime.update")]
    [InlineData("""{ "replicasPerNode": "three" }""", "runtime.replicasPerNode", "a whole number")]
    [InlineData("""{ "drainDelay": 3 }""", "runtime.drainDelay", "not a field")]
    [InlineData("""{ "health": "Sometimes" }""", "runtime.health", "one of Image, None, Http")]
    [InlineData("""{ "update": { "order": "Sideways" } }""", "runtime.update.order", "one of StartFirst, StopFirst")]
    public async Task RuntimeJsonWithANullOrAWrongType_IsRefused_NamingTheField(string runtime, string field, string? reason = null)
    {
        var name = $"bad-{Unique}";
        var body = $$"""{ "repositoryUrl": {{JsonSerializer.Serialize(Repo.Path)}}, "branch": "main", "registry": "lab", "imageRepository": "tests/bad", "runtime": {{runtime}} }""";

        var response = await Deployer.PutAsync($"/api/services/{name}", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"errors name {field}: {text}");
        if (reason is not null) Assert.Contains(reason, text, StringComparison.Ordinal);
        Assert.DoesNotContain("ControlPanel.", text, StringComparison.Ordinal); // no .NET type names
        Assert.Equal(HttpStatusCode.NotFound, (await Deployer.GetAsync($"/api/services/{name}")).StatusCode);
    }

    [Theory]
    [InlineData("repositoryUrl", "{repo}-gone", "does not appear to be a git repository")]
    [InlineData("repositoryUrl", "https://127.0.0.1:9/shop.git", "127.0.0.1")]
    [InlineData("branch", "no-such-branch", "its branches are main")]
    public async Task ARepositoryThatCannotBeRead_OrLacksTheBranch_IsRefusedWhenSaved(string field, string value, string explanation)
    {
        var name = $"unread-{Unique}";
        Repo.Write("Dockerfile", "FROM scratch\n").Commit("first");
        var body = new Dictionary<string, object?> { ["repositoryUrl"] = Repo.Path, ["branch"] = "main", ["registry"] = "lab", ["imageRepository"] = "tests/unread" };
        body[field] = value.Replace("{repo}", Repo.Path, StringComparison.Ordinal);

        var response = await Deployer.PutAsJsonAsync($"/api/services/{name}", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var errors = problem.GetProperty("errors");
        Assert.Equal([field], errors.EnumerateObject().Select(e => e.Name));
        Assert.Contains(explanation, errors.GetProperty(field)[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await Deployer.GetAsync($"/api/services/{name}")).StatusCode);
    }

    [Fact]
    public async Task ARepositoryThatIsGoneLater_DoesNotStopChangingHowTheServiceRuns()
    {
        var name = $"gone-{Unique}";
        using var repo = new TestSupport.GitTestRepository();
        repo.Write("Dockerfile", "FROM scratch\n").Commit("first");
        var definition = new { repositoryUrl = repo.Path, branch = "main", registry = "lab", imageRepository = $"tests/{name}", runtime = new { replicasPerNode = 1 } };
        Assert.True((await Deployer.PutAsJsonAsync($"/api/services/{name}", definition)).IsSuccessStatusCode);
        Directory.Delete(repo.Path, recursive: true);

        var changed = await Deployer.PutAsJsonAsync($"/api/services/{name}", definition with { runtime = new { replicasPerNode = 2 } });

        Assert.True(changed.IsSuccessStatusCode, await changed.Content.ReadAsStringAsync());
        var service = await Deployer.GetFromJsonAsync<JsonElement>($"/api/services/{name}");
        Assert.Equal((2, 2), (service.GetProperty("revision").GetInt32(), service.GetProperty("runtime").GetProperty("replicasPerNode").GetInt32()));
    }

    [Theory]
    [InlineData("repositoryUrl", "https://user:hunter2@git.example.test/repo.git")]
    [InlineData("repositoryUrl", "https://ghp_hunter2token@git.example.test/repo.git")]
    [InlineData("branch", "--upload-pack=evil")]
    [InlineData("dockerfilePath", "../outside/Dockerfile")]
    [InlineData("contextPath", "/etc")]
    [InlineData("registry", "not-configured")]
    [InlineData("imageRepository", "Shop/API")]
    [InlineData("imageRepository", "shop/../../v2/_catalog")]
    [InlineData("imageRepository", "shop%3Fn=1")]
    [InlineData("buildArgs", "1BAD")]
    public async Task BadDefinition_IsRefused_NamingTheField_AndStoresNothing(string field, string value)
    {
        var name = $"bad-{Unique}";
        var body = new Dictionary<string, object?>
        {
            ["repositoryUrl"] = Repo.Path, ["branch"] = "main", ["registry"] = "lab", ["imageRepository"] = "tests/bad",
        };
        body[field] = field == "buildArgs" ? new Dictionary<string, string> { [value] = "x" } : value;

        var response = await Deployer.PutAsJsonAsync($"/api/services/{name}", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"errors name {field}: {problem}");
        Assert.DoesNotContain("hunter2", problem.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await Deployer.GetAsync($"/api/services/{name}")).StatusCode);
    }

    [Fact]
    public async Task RegistryPassword_IsNeverReturned_AndCanBeKeptOrRemoved()
    {
        await SaveRegistryAsync("private", "http://127.0.0.1:5056", "lab", "s3cret-value-1");
        await SaveRegistryAsync("private", "http://127.0.0.1:5056", "lab"); // password omitted: kept

        var listed = await Admin.GetStringAsync("/api/registries");
        Assert.DoesNotContain("s3cret-value-1", listed, StringComparison.Ordinal);
        var registry = JsonDocument.Parse(listed).RootElement.EnumerateArray().Single(r => r.GetProperty("name").GetString() == "private");
        Assert.True(registry.GetProperty("hasPassword").GetBoolean());
        Assert.False(registry.TryGetProperty("password", out _));

        await SaveRegistryAsync("private", "http://127.0.0.1:5056", "lab", "");
        var removed = JsonDocument.Parse(await Admin.GetStringAsync("/api/registries")).RootElement.EnumerateArray().Single(r => r.GetProperty("name").GetString() == "private");
        Assert.False(removed.GetProperty("hasPassword").GetBoolean());

        var bad = await Admin.PutAsJsonAsync("/api/registries/private", new { url = "ftp://registry.example.test/path" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("'url'", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await Deployer.PutAsJsonAsync("/api/registries/other", new { url = "http://127.0.0.1:5055" })).StatusCode);
    }

    [Theory]
    [InlineData("../../v2/_catalog")]
    [InlineData("tests/x%3Fn=1")]
    public async Task RegistryTags_OfANameOutsideTheDistributionGrammar_Is400NamingRepository(string repository)
    {
        var response = await Deployer.GetAsync($"/api/registries/lab/tags?repository={Uri.EscapeDataString(repository)}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("repository", out _), $"errors name repository: {problem}");
    }

    [Fact]
    public async Task StartingABuild_WithBadInput_IsRefusedBeforeAnythingRuns()
    {
        await DefineServiceAsync($"start-{Unique}");

        var unknownNode = await Deployer.PostAsJsonAsync($"/api/services/start-{Unique}/builds", new { node = "node99" });
        var badRevision = await Deployer.PostAsJsonAsync($"/api/services/start-{Unique}/builds", new { node = "node1", revision = "-x" });
        var unknownService = await Deployer.PostAsJsonAsync($"/api/services/nope-{Unique}/builds", new { node = "node1" });

        Assert.Equal(HttpStatusCode.NotFound, unknownNode.StatusCode);
        Assert.Contains("node99", await unknownNode.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badRevision.StatusCode);
        Assert.Contains("'revision'", await badRevision.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknownService.StatusCode);
        Assert.Empty((await Deployer.GetFromJsonAsync<JsonElement>($"/api/builds?service=start-{Unique}")).EnumerateArray());
    }

    private object Definition(Dictionary<string, string>? buildArgs) => new
    {
        repositoryUrl = Repo.Path, branch = "main", dockerfilePath = "Dockerfile", contextPath = ".", buildArgs, registry = "lab", imageRepository = $"tests/svc-{Unique}",
    };
}
