using System.Formats.Tar;
using ControlPanel.Core.Builds;
using ControlPanel.Infrastructure.Git;
using ControlPanel.TestSupport;

namespace ControlPanel.Infrastructure.Tests.Git;

/// <summary>The git side of a build against real repositories made with the git CLI.</summary>
public sealed class GitSourceRepositoryTests : IDisposable
{
    private readonly string _cache = Path.Combine(Path.GetTempPath(), $"cp-gitcache-{Guid.NewGuid():N}");
    private readonly GitTestRepository _repo = new();
    private readonly GitSourceRepository _sources;

    public GitSourceRepositoryTests() => _sources = new GitSourceRepository(_cache, new BuildOptions { AllowLocalRepositories = true });

    public void Dispose()
    {
        _repo.Dispose();
        if (Directory.Exists(_cache)) Directory.Delete(_cache, recursive: true);
    }

    [Fact]
    public async Task Resolve_FindsBranchHeadsTagsAndShas_AfterEachFetch()
    {
        var first = _repo.Write("a.txt", "1").Commit("first");
        _repo.Tag("v1");
        await _sources.FetchAsync(_repo.Path, default);
        Assert.Equal(first, (await _sources.ResolveAsync(_repo.Path, "main", default)).Sha);

        var second = _repo.Write("a.txt", "2").Commit("second");
        await _sources.FetchAsync(_repo.Path, default);

        var head = await _sources.ResolveAsync(_repo.Path, "main", default);
        Assert.Equal((second, "second", "Test Author <author@example.test>"), (head.Sha, head.Message, head.Author));
        Assert.Equal(first, (await _sources.ResolveAsync(_repo.Path, "v1", default)).Sha);
        Assert.Equal(first, (await _sources.ResolveAsync(_repo.Path, first[..10], default)).Sha);
        var missing = await Assert.ThrowsAsync<SourceException>(() => _sources.ResolveAsync(_repo.Path, "no-such-branch", default));
        Assert.Contains("'no-such-branch' was not found", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Context_IsTheTreeAtTheCommit_WithoutGitOrIgnoredFiles_AndWithADockerfileFromOutside()
    {
        _repo.Write("docker/app.Dockerfile", "FROM scratch\n")
            .Write("app/.dockerignore", "*.log\n!keep.log\nsecrets\n")
            .Write("app/main.txt", "main").Write("app/debug.log", "noise").Write("app/keep.log", "kept")
            .Write("app/secrets/key", "private").Write("app/sub/deep.txt", "deep");
        var sha = _repo.Commit("layout");
        _repo.Write("app/later.txt", "not in the commit"); // in the working tree only
        await _sources.FetchAsync(_repo.Path, default);
        using var tar = new MemoryStream();

        var info = await _sources.WriteContextAsync(_repo.Path, sha, "app", "docker/app.Dockerfile", tar, default);

        tar.Position = 0;
        var names = new List<string>();
        await using (var reader = new TarReader(tar))
            while (await reader.GetNextEntryAsync() is { } entry) if (entry.EntryType != TarEntryType.Directory) names.Add(entry.Name);
        Assert.Equal([".controlpanel.Dockerfile", ".dockerignore", "keep.log", "main.txt", "sub/deep.txt"], names.Order(StringComparer.Ordinal));
        Assert.Equal((5, 2, ".controlpanel.Dockerfile"), (info.Files, info.Ignored, info.Dockerfile));
    }

    [Fact]
    public async Task Fetch_OfAnUnknownRepository_FailsWithGitsMessage()
    {
        var ex = await Assert.ThrowsAsync<SourceException>(() => _sources.FetchAsync("/nonexistent/repository", default));
        Assert.Contains("does not appear to be a git repository", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Context_WithoutItsDockerfile_OrOfAMissingFolder_FailsNamingWhatIsMissing()
    {
        var sha = _repo.Write("app/main.txt", "main").Commit("no Dockerfile");
        await _sources.FetchAsync(_repo.Path, default);

        var noDockerfile = await Assert.ThrowsAsync<SourceException>(() => _sources.WriteContextAsync(_repo.Path, sha, "app", "app/Dockerfile", Stream.Null, default));
        var noFolder = await Assert.ThrowsAsync<SourceException>(() => _sources.WriteContextAsync(_repo.Path, sha, "web", "Dockerfile", Stream.Null, default));

        Assert.StartsWith("The Dockerfile 'app/Dockerfile' does not exist at commit", noDockerfile.Message, StringComparison.Ordinal);
        Assert.StartsWith("The Dockerfile 'Dockerfile' does not exist", noFolder.Message, StringComparison.Ordinal); // outside the context: checked first
        var noContext = await Assert.ThrowsAsync<SourceException>(() => _sources.WriteContextAsync(_repo.Path, sha, "web", "web/Dockerfile", Stream.Null, default));
        Assert.StartsWith("The build context 'web' does not exist at commit", noContext.Message, StringComparison.Ordinal);
    }
}
