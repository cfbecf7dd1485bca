using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace ControlPanel.Web.Tests;

/// <summary>With the default ControlPanel:Builds:AllowLocalRepositories (false), a service cannot name a repository on the panel's host.</summary>
public sealed class LocalRepositoryRefusalTests : BuildTestBase
{
    private readonly string _marker = Path.Combine(Path.GetTempPath(), $"cp-pwned-{Guid.NewGuid():N}");

    public LocalRepositoryRefusalTests() => Factory.Settings.Remove("ControlPanel:Builds:AllowLocalRepositories");

    public override async Task DisposeAsync()
    {
        File.Delete(_marker);
        await base.DisposeAsync();
    }

    [Theory]
    [InlineData("path")]
    [InlineData("file")]
    [InlineData("ext")]
    public async Task ServiceWithALocalRepository_IsRefused400_NamingRepositoryUrl_AndNothingIsFetched(string kind)
    {
        Repo.Write("Dockerfile", "FROM scratch\n").Write("secret.txt", "host file").Commit("on the panel's host");
        var url = kind switch
        {
            "path" => Repo.Path,
            "file" => $"file://{Repo.Path}",
            _ => $"ext::sh -c touch% {_marker}",
        };
        var name = $"local-{Unique}";

        var response = await Deployer.PutAsJsonAsync($"/api/services/{name}", new { repositoryUrl = url, branch = "main", registry = "lab", imageRepository = $"tests/{name}" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("repositoryUrl", out _), $"errors name repositoryUrl: {problem}");
        Assert.Equal(HttpStatusCode.NotFound, (await Deployer.GetAsync($"/api/services/{name}")).StatusCode);
        var build = await Deployer.PostAsJsonAsync($"/api/services/{name}/builds", new { node = "node1" });
        Assert.Equal(HttpStatusCode.NotFound, build.StatusCode);
        Assert.False(Directory.Exists(Path.Combine(Path.GetDirectoryName(Factory.SqliteFile)!, "git-cache")), "nothing was fetched");
        Assert.False(File.Exists(_marker), "ext:: ran its command");
    }
}
