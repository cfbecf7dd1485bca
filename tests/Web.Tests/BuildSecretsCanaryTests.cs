using ControlPanel.Core.Builds;
using ControlPanel.TestSupport;

namespace ControlPanel.Web.Tests;

/// <summary>
/// A registry password (the lab's login registry's real one, random per lab) and a wrong one are planted; builds
/// push with the first and are refused with the second, with debug logging on. Neither appears in the app's log,
/// any API response, any database value or any stored build log.
/// </summary>
public sealed class BuildSecretsCanaryTests : BuildTestBase
{
    private readonly List<string> _responses = [];

    public BuildSecretsCanaryTests() => Factory.DebugLogging = true;

    [Fact]
    public async Task RegistryPasswords_AppearNowhere_AfterPushesThatSucceedAndFail()
    {
        var auth = Lab.Current.AuthRegistry;
        var wrongPassword = "canary-" + Guid.NewGuid().ToString("N");
        await SaveRegistryAsync("locked", $"http://{auth.Address}", auth.UserName, auth.Password);
        await SaveRegistryAsync("refusing", $"http://{auth.Address}", auth.UserName, wrongPassword);
        Repo.Write("Dockerfile", Dockerfile($"RUN echo {Unique} > /x")).Commit("canary");
        await DefineServiceAsync($"canary-{Unique}", registry: "locked");
        await DefineServiceAsync($"canary-refused-{Unique}", registry: "refusing");

        var pushed = await BuildAsync($"canary-{Unique}");
        var refused = await BuildAsync($"canary-refused-{Unique}");
        Assert.Equal(BuildStatus.Succeeded, pushed.Status);   // the stored password really was used
        Assert.True((BuildStatus.Failed, BuildPhaseKind.Push) == (refused.Status, refused.FailedPhase), $"{refused.Status} {refused.FailedPhase}: {refused.Error}");

        using (var api = Factory.CreateDefaultClient(new CanarySearch.Recorder(_responses)))
        {
            api.DefaultRequestHeaders.Authorization = Admin.DefaultRequestHeaders.Authorization;
            foreach (var path in new[]
            {
                "/api/registries", "/api/builds", $"/api/builds/{pushed.Id}", $"/api/builds/{refused.Id}", $"/api/builds/{pushed.Id}/log",
                $"/api/builds/{refused.Id}/log", "/api/registries/locked/repositories", $"/api/registries/locked/tags?repository=tests/canary-{Unique}",
                "/api/registries/refusing/repositories", "/api/audit",
            })
                await api.GetAsync(path);
        }

        var forms = CanarySearch.Forms([auth.Password, wrongPassword]);
        var buildLogs = Directory.GetFiles(Path.Combine(Path.GetDirectoryName(Factory.SqliteFile)!, "build-logs")).Select(File.ReadAllText).ToList();
        var hits = new List<string>();
        hits.AddRange(CanarySearch.Search("log", Factory.Logs.Lines, forms));
        hits.AddRange(CanarySearch.Search("API response", _responses, forms));
        hits.AddRange(CanarySearch.Search("database", await CanarySearch.DatabaseValuesAsync(Factory.SqliteFile), forms));
        hits.AddRange(CanarySearch.Search("build log file", buildLogs, forms));
        Assert.True(hits.Count == 0, string.Join("\n", hits.Take(10)));
        // The searches looked at real material.
        Assert.Equal(2, buildLogs.Count);
        Assert.True(Factory.Logs.Lines.Count > 100, $"only {Factory.Logs.Lines.Count} log lines");
        Assert.Contains(_responses, r => r.Contains("\"hasPassword\":true", StringComparison.Ordinal));
        Assert.Contains(_responses, r => r.Contains($"tests/canary-{Unique}", StringComparison.Ordinal) && r.StartsWith("200", StringComparison.Ordinal));
    }
}
