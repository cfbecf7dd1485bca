using System.Net;
using System.Net.Http.Json;
using ControlPanel.Core.Builds;
using ControlPanel.TestSupport;
using Docker.DotNet.Models;

namespace ControlPanel.Web.Tests;

/// <summary>Builds from real git repositories on a lab node, pushed to the lab registry.</summary>
public sealed class BuildsApiTests : BuildTestBase
{
    [Fact]
    public async Task BuildOfTheBranchHead_PushesTheImage_ThatAnotherNodePullsAndRuns()
    {
        Repo.Write("Dockerfile", Dockerfile("COPY message.txt /message.txt", "CMD [\"cat\", \"/message.txt\"]"))
            .Write("message.txt", $"hello from {Unique}\n");
        var sha = Repo.Commit("first version");
        await DefineServiceAsync($"hello-{Unique}");

        var build = await BuildAsync($"hello-{Unique}");

        Assert.Equal(BuildStatus.Succeeded, build.Status);
        Assert.Equal(sha, build.CommitSha);
        Assert.Equal("first version", build.CommitMessage);
        Assert.Equal("Test Author <author@example.test>", build.CommitAuthor);
        Assert.Equal([BuildPhaseKind.Fetch, BuildPhaseKind.Context, BuildPhaseKind.Build, BuildPhaseKind.Push], build.Phases.Select(p => p.Kind));
        Assert.All(build.Phases, p => Assert.True(p.Duration is not null && !p.Failed));
        Assert.Equal(3, build.Steps.Count);
        var image = Assert.Single(build.Images);
        Assert.Equal($"{Lab.Current.Registry}/tests/hello-{Unique}:{sha[..7]}", image);
        Assert.Matches("^sha256:[0-9a-f]{64}$", build.Digest);

        // Another node pulls it by digest and runs it.
        var other = Lab.SharedNodes[1];
        await using var containers = new LabContainers();
        var client = containers.Client(other);
        await client.Images.CreateImageAsync(new ImagesCreateParameters { FromImage = $"{Lab.Current.Registry}/tests/hello-{Unique}@{build.Digest}" }, null, new Progress<JSONMessage>());
        var created = await client.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Image = $"{Lab.Current.Registry}/tests/hello-{Unique}@{build.Digest}",
            Labels = new Dictionary<string, string> { [LabContainers.RunLabel] = containers.RunId },
            HostConfig = new HostConfig { NetworkMode = "host" },
        });
        await client.Containers.StartContainerAsync(created.ID, new ContainerStartParameters());
        await client.Containers.WaitContainerAsync(created.ID);
        using var logs = await client.Containers.GetContainerLogsAsync(created.ID, new ContainerLogsParameters { ShowStdout = true }, default);
        var (stdout, _) = await logs.ReadOutputToEndAsync(CancellationToken.None);
        Assert.Equal($"hello from {Unique}\n", stdout);
        await client.Containers.RemoveContainerAsync(created.ID, new ContainerRemoveParameters { Force = true });

        var log = await Deployer.GetStringAsync($"/api/builds/{build.Id}/log");
        Assert.Contains("Step 3/3 : CMD", log, StringComparison.Ordinal);
        Assert.Contains("Pushed", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OneFileChange_RebuildsOnlyTheStepsAfterIt_AndTheRecordSaysWhichWereCached()
    {
        Repo.Write("Dockerfile", Dockerfile("COPY stable.txt /stable.txt", $"RUN echo {Unique} > /prepared", "COPY changing.txt /changing.txt"))
            .Write("stable.txt", Unique).Write("changing.txt", "one");
        Repo.Commit("first");
        await DefineServiceAsync($"cache-{Unique}");
        var first = await BuildAsync($"cache-{Unique}");
        Assert.Equal(BuildStatus.Succeeded, first.Status);
        Assert.DoesNotContain(first.Steps, s => s.Cached); // this content was never built before

        Repo.Write("changing.txt", "two");
        Repo.Commit("change one file");
        var second = await BuildAsync($"cache-{Unique}");

        Assert.Equal(BuildStatus.Succeeded, second.Status);
        Assert.Equal([2, 3], second.Steps.Where(s => s.Cached).Select(s => s.Number).Order());
        Assert.Equal([1, 4], second.Steps.Where(s => !s.Cached).Select(s => s.Number).Order()); // FROM is never "cached"; the changed COPY is rebuilt
        Assert.NotEqual(first.Digest, second.Digest);
    }

    [Fact]
    public async Task SameCommitWithSameSettings_ReusesTheImage_UnlessARebuildIsAsked()
    {
        Repo.Write("Dockerfile", Dockerfile($"RUN echo {Unique} > /built"));
        Repo.Commit("only");
        Repo.Tag("v1.0");
        await DefineServiceAsync($"reuse-{Unique}");
        var first = await BuildAsync($"reuse-{Unique}");

        var again = await BuildAsync($"reuse-{Unique}", revision: "v1.0");
        var rebuilt = await BuildAsync($"reuse-{Unique}", revision: "v1.0", rebuild: true);

        Assert.Equal(BuildStatus.Reused, again.Status);
        Assert.Equal(first.Id, again.ReusedFrom);
        Assert.Equal(first.Digest, again.Digest);
        Assert.Equal([BuildPhaseKind.Fetch], again.Phases.Select(p => p.Kind)); // nothing built, nothing pushed
        Assert.Contains("already built", await Deployer.GetStringAsync($"/api/builds/{again.Id}/log"), StringComparison.Ordinal);
        Assert.Equal(BuildStatus.Succeeded, rebuilt.Status);
        Assert.True(rebuilt.Steps.Single(s => s.Number == 2).Cached); // rebuilt on the same builder: from its cache
        Assert.Equal(first.Digest, rebuilt.Digest);
    }

    [Fact]
    public async Task Cancel_StopsTheRunningStep_AndLeavesNoContainerBehind()
    {
        var marker = $"cancel-me-{Unique}";
        Repo.Write("Dockerfile", Dockerfile($"RUN echo {marker} && sleep 60"));
        Repo.Commit("slow");
        await DefineServiceAsync($"cancel-{Unique}");
        var started = await StartAsync($"cancel-{Unique}");
        var node = Lab.SharedNodes[0];
        await using var containers = new LabContainers();
        var client = containers.Client(node);
        async Task<int> StepContainers() => (await client.Containers.ListContainersAsync(new ContainersListParameters { All = true }))
            .Count(c => c.Command.Contains(marker, StringComparison.Ordinal));
        await LabContainers.WaitUntilAsync(async () => await StepContainers() > 0, TimeSpan.FromSeconds(60), "the RUN step's container");

        var cancel = await Deployer.PostAsync($"/api/builds/{started.Id}/cancel", null);
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        var ended = await WaitForEndAsync(started.Id, 30);

        Assert.Equal(BuildStatus.Cancelled, ended.Status);
        Assert.Equal(BuildPhaseKind.Build, ended.FailedPhase);
        await LabContainers.WaitUntilAsync(async () => await StepContainers() == 0, TimeSpan.FromSeconds(30), "the engine to remove the step's container");
        Assert.Empty(ended.Images);
        var again = await Deployer.PostAsync($"/api/builds/{started.Id}/cancel", null);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
    }

    [Fact]
    public async Task RegistryBrowser_ListsTheRepositoryAndItsTags_WithTheBuildThatMadeThem()
    {
        Repo.Write("Dockerfile", Dockerfile($"RUN echo {Unique} > /x"));
        Repo.Commit("browse me");
        await DefineServiceAsync($"browse-{Unique}");
        var build = await WaitForEndAsync((await StartAsync($"browse-{Unique}", tagBranch: true)).Id);
        Assert.Equal(2, build.Images.Count); // short SHA and branch

        var repositories = await Deployer.GetFromJsonAsync<List<string>>("/api/registries/lab/repositories");
        Assert.Contains($"tests/browse-{Unique}", repositories!);
        var tags = await Deployer.GetFromJsonAsync<List<TagRow>>($"/api/registries/lab/tags?repository=tests/browse-{Unique}", Json);

        Assert.NotNull(tags);
        Assert.Equal([build.ShortSha!, "main"], tags.Select(t => t.Tag).Order(StringComparer.Ordinal));
        Assert.All(tags, t => Assert.Equal(build.Digest, t.Digest));
        Assert.All(tags, t => Assert.True(t.Size > 0 && t.Created > DateTimeOffset.UtcNow.AddHours(-1)));
        Assert.All(tags, t => Assert.Equal(build.Id, Assert.Single(t.Builds).Id));
    }

    private sealed record TagRow(string Tag, string Digest, long Size, DateTimeOffset? Created, List<TagBuild> Builds);

    private sealed record TagBuild(Guid Id);
}
