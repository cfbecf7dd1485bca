using System.Net;
using System.Net.Sockets;
using ControlPanel.Core.Builds;
using ControlPanel.Infrastructure.Git;
using ControlPanel.TestSupport;

namespace ControlPanel.Infrastructure.Tests.Git;

/// <summary>What git is never asked to fetch, and how long it may take, with the real git CLI.</summary>
public sealed class GitFetchRefusalTests : IDisposable
{
    private readonly string _cache = Path.Combine(Path.GetTempPath(), $"cp-gitcache-{Guid.NewGuid():N}");
    private readonly string _marker = Path.Combine(Path.GetTempPath(), $"cp-pwned-{Guid.NewGuid():N}");
    private readonly GitTestRepository _repo = new();

    public void Dispose()
    {
        _repo.Dispose();
        File.Delete(_marker);
        if (Directory.Exists(_cache)) Directory.Delete(_cache, recursive: true);
    }

    [Theory]
    [InlineData("path")]
    [InlineData("file")]
    [InlineData("ext")]
    [InlineData("fd")]
    public async Task Fetch_OfALocalOrProgramUrl_WhenLocalIsNotAllowed_IsRefusedBeforeGitRuns(string kind)
    {
        _repo.Write("secret.txt", "host file").Commit("on the panel's host");
        var sources = new GitSourceRepository(_cache, new BuildOptions { AllowLocalRepositories = false });

        var ex = await Assert.ThrowsAsync<SourceException>(() => sources.FetchAsync(Url(kind), default));

        Assert.StartsWith("Not fetching", ex.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_cache), "no clone was made");
        Assert.False(File.Exists(_marker), "ext:: ran its command");
    }

    [Fact]
    public async Task Fetch_OfAnExtUrl_IsRefusedEvenWhenLocalIsAllowed()
    {
        var sources = new GitSourceRepository(_cache, new BuildOptions { AllowLocalRepositories = true });

        var ex = await Assert.ThrowsAsync<SourceException>(() => sources.FetchAsync(Url("ext"), default));

        Assert.Contains("'ext::' transport is refused", ex.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(_marker), "ext:: ran its command");
        // The same repository by path is fetched once allowed: the refusal above is the transport's, not the repository's.
        var sha = _repo.Write("a.txt", "1").Commit("first");
        await sources.FetchAsync(Url("file"), default);
        Assert.Equal(sha, (await sources.ResolveAsync(Url("file"), "main", default)).Sha);
    }

    [Fact]
    public async Task Fetch_FromAServerThatNeverAnswers_StopsAtTheGitTimeout()
    {
        // A git:// server on loopback that accepts the connection and then says nothing.
        using var server = new TcpListener(IPAddress.Loopback, 0);
        server.Start();
        var accepted = server.AcceptTcpClientAsync();
        var port = ((IPEndPoint)server.LocalEndpoint).Port;
        var sources = new GitSourceRepository(_cache, new BuildOptions { GitTimeout = TimeSpan.FromSeconds(2) });

        // The bound only keeps a hang from holding the test run.
        var ex = await Assert.ThrowsAsync<SourceException>(() => sources.FetchAsync($"git://127.0.0.1:{port}/silent.git", default).WaitAsync(TimeSpan.FromSeconds(60)));

        Assert.Contains("ControlPanel:Builds:GitTimeout", ex.Message, StringComparison.Ordinal);
        Assert.True(accepted.IsCompletedSuccessfully, "git reached the server before the deadline");
        (await accepted).Dispose();
    }

    private string Url(string kind) => kind switch
    {
        "path" => _repo.Path,
        "file" => $"file://{_repo.Path}",
        // git's ext:: would run this command (% is its escape for a space).
        "ext" => $"ext::sh -c touch% {_marker}",
        _ => "fd::0",
    };
}
