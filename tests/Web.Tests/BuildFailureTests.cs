using ControlPanel.Core.Builds;
using ControlPanel.TestSupport;

namespace ControlPanel.Web.Tests;

/// <summary>Each way a build can fail ends in the right phase, with the tool's own message.</summary>
public sealed class BuildFailureTests : BuildTestBase
{
    [Fact]
    public async Task UnknownRepository_FailsTheFetchPhase_WithGitsMessage()
    {
        Repo.Write("Dockerfile", Dockerfile()).Commit("x");
        await DefineServiceAsync($"gone-{Unique}");
        Repo.Dispose(); // the repository disappears after the service was defined

        var build = await BuildAsync($"gone-{Unique}");

        Assert.Equal((BuildStatus.Failed, BuildPhaseKind.Fetch), (build.Status, build.FailedPhase));
        Assert.Contains("does not appear to be a git repository", build.Error, StringComparison.Ordinal);
        Assert.True(build.Phases.Single().Failed);
    }

    [Fact]
    public async Task UnknownRevision_FailsTheFetchPhase_NamingIt()
    {
        Repo.Write("Dockerfile", Dockerfile()).Commit("x");
        await DefineServiceAsync($"norev-{Unique}");

        var build = await BuildAsync($"norev-{Unique}", revision: "v9.9.9");

        Assert.Equal((BuildStatus.Failed, BuildPhaseKind.Fetch), (build.Status, build.FailedPhase));
        Assert.Contains("Revision 'v9.9.9' was not found", build.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingDockerfile_FailsBeforeTheEngine_NamingThePath()
    {
        Repo.Write("README", "no Dockerfile here").Commit("x");
        await DefineServiceAsync($"nofile-{Unique}", dockerfile: "docker/Dockerfile");

        var build = await BuildAsync($"nofile-{Unique}");

        Assert.Equal((BuildStatus.Failed, BuildPhaseKind.Context), (build.Status, build.FailedPhase));
        Assert.Contains("The Dockerfile 'docker/Dockerfile' does not exist at commit", build.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailingStep_FailsTheBuildPhase_NamingTheStepAndTheEnginesMessage()
    {
        Repo.Write("Dockerfile", Dockerfile("RUN echo fine", "RUN exit 3")).Commit("x");
        await DefineServiceAsync($"step-{Unique}");

        var build = await BuildAsync($"step-{Unique}");

        Assert.Equal((BuildStatus.Failed, BuildPhaseKind.Build), (build.Status, build.FailedPhase));
        Assert.StartsWith("Step 3/3 (RUN exit 3) failed:", build.Error, StringComparison.Ordinal);
        Assert.Contains("returned a non-zero code: 3", build.Error, StringComparison.Ordinal);
        Assert.Empty(build.Images);
    }

    [Fact]
    public async Task UnreachableRegistry_FailsThePushPhase_WithTheEnginesMessage()
    {
        await SaveRegistryAsync("nowhere", "http://127.0.0.1:5999");
        Repo.Write("Dockerfile", Dockerfile($"RUN echo {Unique}")).Commit("x");
        await DefineServiceAsync($"unreach-{Unique}", registry: "nowhere");

        var build = await BuildAsync($"unreach-{Unique}");

        Assert.Equal((BuildStatus.Failed, BuildPhaseKind.Push), (build.Status, build.FailedPhase));
        Assert.Contains("connection refused", build.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefusedCredentials_FailThePushPhase_WithTheRegistrysMessage()
    {
        var auth = Lab.Current.AuthRegistry;
        await SaveRegistryAsync("locked", $"http://{auth.Address}", auth.UserName, "not-the-password");
        Repo.Write("Dockerfile", Dockerfile($"RUN echo {Unique}")).Commit("x");
        await DefineServiceAsync($"refused-{Unique}", registry: "locked");

        var build = await BuildAsync($"refused-{Unique}");

        Assert.Equal((BuildStatus.Failed, BuildPhaseKind.Push), (build.Status, build.FailedPhase));
        Assert.Contains("Registry 'locked'", build.Error, StringComparison.Ordinal);
        Assert.Contains("unauthorized", build.Error, StringComparison.OrdinalIgnoreCase);
    }
}
