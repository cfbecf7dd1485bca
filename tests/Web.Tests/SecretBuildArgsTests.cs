using System.Net.Http.Json;
using System.Text.Json;
using ControlPanel.Core.Builds;

namespace ControlPanel.Web.Tests;

/// <summary>
/// Values a Viewer must not read: build arguments that are secrets (by name, by mark, or a URL with a password) and
/// URL passwords in environment values. Stored encrypted, returned masked, still used for real by the build.
/// </summary>
public sealed class SecretBuildArgsTests : BuildTestBase
{
    private readonly string _token = "canary-npm-" + Guid.NewGuid().ToString("N")[..8];
    private readonly string _marked = "canary-marked-" + Guid.NewGuid().ToString("N")[..8];
    private readonly string _dbPassword = "canary-db-" + Guid.NewGuid().ToString("N")[..8];

    private object Definition(string name, string token, string marked) => new
    {
        repositoryUrl = Repo.Path, branch = "main", registry = "lab", imageRepository = $"tests/{name}",
        buildArgs = new Dictionary<string, string> { ["NPM_TOKEN"] = token, ["LICENCE"] = marked, ["MODE"] = "prod" },
        secretBuildArgs = new[] { "LICENCE" },
        runtime = new { environment = new object[] { new { name = "DATABASE_URL", value = $"postgres://app:{_dbPassword}@db/app" } } },
    };

    [Fact]
    public async Task SecretBuildArgsAndUrlPasswords_AreStoredEncrypted_ShownMasked_AndTheBuildGetsTheRealValues()
    {
        var name = $"sba-{Unique}";
        Repo.Write("Dockerfile", Dockerfile(
            "ARG NPM_TOKEN", "ARG LICENCE", "ARG MODE",
            // Fails unless the engine got the real values (compared by hash: the Dockerfile itself must not hold them);
            // echoes the token so the log must hide it.
            $"RUN echo \"$NPM_TOKEN $LICENCE $MODE\" | sha256sum | grep -q {Sha256Hex($"{_token} {_marked} prod\n")} && echo \"token is $NPM_TOKEN\"")).Commit("secret build args");
        var saved = await Deployer.PutAsJsonAsync($"/api/services/{name}", Definition(name, _token, _marked));
        Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());

        var viewer = await Factory.CreateClientAsync(Core.Security.Role.Viewer);
        var service = await viewer.GetFromJsonAsync<JsonElement>($"/api/services/{name}");
        var args = service.GetProperty("build").GetProperty("buildArgs");
        Assert.Equal(Core.Fleet.SecretMasking.Mask, args.GetProperty("NPM_TOKEN").GetString());
        Assert.Equal(Core.Fleet.SecretMasking.Mask, args.GetProperty("LICENCE").GetString());
        Assert.Equal("prod", args.GetProperty("MODE").GetString());
        var url = Assert.Single(service.GetProperty("runtime").GetProperty("environment").EnumerateArray());
        Assert.True(url.GetProperty("secret").GetBoolean());

        var build = await BuildAsync(name);
        Assert.True(build.Status == BuildStatus.Succeeded, build.Error);
        var log = await viewer.GetStringAsync($"/api/builds/{build.Id}/log");
        Assert.Contains("token is ********", log, StringComparison.Ordinal);

        // Sent back masked, as a client that read the definition would: nothing changes, no new revision.
        var again = await Deployer.PutAsJsonAsync($"/api/services/{name}", Definition(name, Core.Fleet.SecretMasking.Mask, Core.Fleet.SecretMasking.Mask));
        Assert.False((await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("changed").GetBoolean());

        var revisions = await viewer.GetStringAsync($"/api/services/{name}/revisions");
        var database = await CanarySearch.DatabaseValuesAsync(Factory.SqliteFile);
        var forms = CanarySearch.Forms([_token, _marked, _dbPassword]);
        Assert.Empty(CanarySearch.Search("responses and log", [revisions, log], forms));
        Assert.Empty(CanarySearch.Search("database", database, forms));
    }

    [Fact]
    public async Task MarkingAnArgumentThatIsNotThere_IsRefusedByName()
    {
        var response = await Deployer.PutAsJsonAsync($"/api/services/sba-{Unique}", new
        {
            repositoryUrl = Repo.Path, registry = "lab", imageRepository = $"tests/sba-{Unique}", secretBuildArgs = new[] { "GHOST" },
        });

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("GHOST", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static string Sha256Hex(string text) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));
}
