using System.Net.Http.Json;
using System.Text.Json;

namespace ControlPanel.Web.Tests;

/// <summary>Builds on the service's timeline: a start and an end each, linked to the build, with who asked.</summary>
public sealed class TimelineBuildTests : BuildTestBase
{
    [Fact]
    public async Task ABuildThatSucceeds_AndOneThatFails_EachHaveAStartAndAnEndOnTheTimeline()
    {
        var service = $"tlb-{Unique}";
        await DefineServiceAsync(service);
        Repo.Write("Dockerfile", Dockerfile("RUN echo ok")).Commit("builds");
        var good = await BuildAsync(service);
        Repo.Write("Dockerfile", Dockerfile("RUN exit 7")).Commit("breaks");
        var bad = await BuildAsync(service);
        Assert.Equal(Core.Builds.BuildStatus.Failed, bad.Status);

        var entries = (await Deployer.GetFromJsonAsync<JsonElement>($"/api/services/{service}/timeline?kind=BuildStarted,BuildSucceeded,BuildFailed"))
            .EnumerateArray().Select(e => (Kind: e.GetProperty("kind").GetString(), Build: e.GetProperty("buildId").GetGuid(), Actor: e.GetProperty("actor").GetString())).ToList();

        Assert.Equal(4, entries.Count);
        Assert.Contains(("BuildStarted", good.Id, good.RequestedBy), entries);
        Assert.Contains(("BuildSucceeded", good.Id, good.RequestedBy), entries);
        Assert.Contains(("BuildStarted", bad.Id, bad.RequestedBy), entries);
        Assert.Contains(("BuildFailed", bad.Id, bad.RequestedBy), entries);
    }
}
