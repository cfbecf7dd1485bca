using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using CliWrap;
using CliWrap.Buffered;
using ControlPanel.Core.Builds;

namespace ControlPanel.Infrastructure.Git;

/// <summary>
/// Git sources through the git CLI: one bare clone per repository URL in the cache folder, fetched before
/// each build. Every command gets its arguments as a list (no shell) and ends options with --end-of-options, runs
/// within <see cref="BuildOptions.GitTimeout"/>, and may use only the transports <see cref="RepositoryUrls"/> allows.
/// </summary>
public sealed partial class GitSourceRepository(string cacheDirectory, BuildOptions options) : ISourceRepository
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new();

    public async Task<RepositoryProblem?> CheckAsync(string url, string branch, CancellationToken cancellationToken)
    {
        if (RepositoryUrls.Refusal(url, options.AllowLocalRepositories) is { } refusal) return new(false, refusal);
        Directory.CreateDirectory(cacheDirectory);
        // ls-remote reads the remote's refs without fetching anything; within the git timeout but never long, as a person waits on it.
        var limit = TimeSpan.FromTicks(Math.Min(options.GitTimeout.Ticks, CheckTimeout.Ticks));
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(limit);
        BufferedCommandResult result;
        try
        {
            result = await Git(cacheDirectory, ["ls-remote", "--heads", "--tags", "--end-of-options", url]).ExecuteBufferedAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new(false, $"git could not reach it within {limit.TotalSeconds:0} s.");
        }
        if (result.ExitCode != 0) return new(false, $"git could not read it: {FirstLines(result.StandardError)}");
        var refs = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t').Last()).ToHashSet(StringComparer.Ordinal);
        if (refs.Contains($"refs/heads/{branch}") || refs.Contains($"refs/tags/{branch}") || CommitId().IsMatch(branch)) return null;
        var branches = refs.Where(r => r.StartsWith("refs/heads/", StringComparison.Ordinal)).Select(r => r["refs/heads/".Length..]).Order(StringComparer.Ordinal).ToList();
        // A new, empty repository is fine: a service is often defined before its first push.
        return branches.Count == 0 ? null : new(true, $"it has no branch or tag '{branch}'; its branches are {string.Join(", ", branches.Take(10))}{(branches.Count > 10 ? $" and {branches.Count - 10} more" : "")}.");
    }

    /// <summary>How long saving a service waits for its repository to answer.</summary>
    public static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(20);

    private static string FirstLines(string text) => string.Join(" ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Take(2));

    [System.Text.RegularExpressions.GeneratedRegex("^[0-9a-f]{7,40}$")]
    private static partial System.Text.RegularExpressions.Regex CommitId();

    public async Task FetchAsync(string url, CancellationToken cancellationToken)
    {
        // Checked again here (the service was checked when saved): a revision stored before the setting changed, or by
        // an older version of the panel, must not reach git either.
        if (RepositoryUrls.Refusal(url, options.AllowLocalRepositories) is { } refusal) throw new SourceException($"Not fetching {url}: {refusal}");
        var gate = _locks.GetOrAdd(url, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            var clone = CloneOf(url);
            if (!Directory.Exists(Path.Combine(clone, "objects")))
            {
                Directory.CreateDirectory(clone);
                await RunAsync(clone, ["init", "--bare", "--quiet"], "prepare the clone cache", cancellationToken);
            }
            // The URL is given on each fetch rather than kept as a remote, so a changed URL is simply fetched anew.
            await RunAsync(clone, ["fetch", "--prune", "--prune-tags", "--force", "--quiet", "--no-write-fetch-head", "--end-of-options", url,
                "+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"], $"fetch {url}", cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    public async Task<GitCommit> ResolveAsync(string url, string revision, CancellationToken cancellationToken)
    {
        var clone = CloneOf(url);
        // A branch first (the usual request), then a tag, then anything git can name (a SHA or its prefix);
        // one git process per try, reading the commit's SHA, author and subject at once.
        foreach (var candidate in new[] { $"refs/heads/{revision}", $"refs/tags/{revision}", revision })
        {
            var result = await WithTimeoutAsync(async t => await Git(clone, ["log", "-1", "--format=%H%x00%an <%ae>%x00%s", "--end-of-options", candidate + "^{commit}", "--"]).ExecuteBufferedAsync(t),
                $"resolve {revision}", cancellationToken);
            if (result.ExitCode != 0) continue;
            var parts = result.StandardOutput.TrimEnd('\n').Split('\0', 3);
            return new GitCommit(parts[0], parts.Length > 2 ? parts[2] : "", parts.Length > 1 ? parts[1] : "");
        }
        throw new SourceException($"Revision '{revision}' was not found in {url}: no branch, tag or commit has that name.");
    }

    public async Task<BuildContextInfo> WriteContextAsync(string url, string sha, string contextPath, string dockerfilePath, Stream destination, CancellationToken cancellationToken)
    {
        var clone = CloneOf(url);
        var treeish = contextPath == "." ? sha : $"{sha}:{contextPath}";
        var inContext = BuildContextWriter.PathInContext(contextPath, dockerfilePath);
        string? outsideDockerfile = null;
        if (inContext is null)
        {
            var dockerfile = await WithTimeoutAsync(async t => await Git(clone, ["show", "--end-of-options", $"{sha}:{dockerfilePath}"]).ExecuteBufferedAsync(t),
                $"read {dockerfilePath}", cancellationToken);
            outsideDockerfile = dockerfile.ExitCode == 0 ? dockerfile.StandardOutput
                : throw new SourceException($"The Dockerfile '{dockerfilePath}' does not exist at commit {sha[..7]}.");
        }

        // git archive writes the tree at the commit (never .git); the writer applies .dockerignore while copying it.
        var archive = Path.Combine(Path.GetTempPath(), $"controlpanel-archive-{Guid.NewGuid():N}.tar");
        try
        {
            // git writes the file itself (-o): piping its output through this process cost as much as the archive.
            var result = await WithTimeoutAsync(async t => await Git(clone, ["archive", "--format=tar", "-o", archive, "--end-of-options", treeish])
                .ExecuteBufferedAsync(t), $"archive {contextPath}", cancellationToken);
            if (result.ExitCode != 0)
                throw new SourceException($"The build context '{contextPath}' does not exist at commit {sha[..7]} (git: {result.StandardError.Trim()}).");
            await using var tar = File.OpenRead(archive);
            var info = await BuildContextWriter.WriteAsync(tar, inContext, outsideDockerfile, destination, cancellationToken);
            return info ?? throw new SourceException($"The Dockerfile '{dockerfilePath}' does not exist at commit {sha[..7]}.");
        }
        finally
        {
            File.Delete(archive);
        }
    }

    private string CloneOf(string url) =>
        Path.Combine(cacheDirectory, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(url)))[..24] + ".git");

    private Command Git(string clone, IEnumerable<string> arguments) =>
        Cli.Wrap("git")
            .WithArguments(["-C", clone, "-c", "core.askPass=", .. arguments])
            // Never wait for a password prompt or an unknown ssh host key: fail with git's message instead.
            // GIT_ALLOW_PROTOCOL also binds what the URL check cannot see: redirects, alternates, submodules.
            .WithEnvironmentVariables(env => env.Set("GIT_TERMINAL_PROMPT", "0").Set("GIT_SSH_COMMAND", "ssh -o BatchMode=yes").Set("LC_ALL", "C")
                .Set("GIT_ALLOW_PROTOCOL", RepositoryUrls.AllowedProtocols(options.AllowLocalRepositories)))
            .WithValidation(CommandResultValidation.None);

    private async Task RunAsync(string clone, IEnumerable<string> arguments, string what, CancellationToken cancellationToken)
    {
        var result = await WithTimeoutAsync(async t => await Git(clone, arguments).ExecuteBufferedAsync(t), what, cancellationToken);
        if (result.ExitCode != 0) throw new SourceException($"git could not {what}: {result.StandardError.Trim()}");
    }

    /// <summary>A server that stops answering, or a repository too big for the link, fails the build instead of holding it.</summary>
    private async Task<T> WithTimeoutAsync<T>(Func<CancellationToken, Task<T>> run, string what, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.GitTimeout);
        try
        {
            return await run(deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SourceException($"git could not {what} within {options.GitTimeout} (ControlPanel:Builds:GitTimeout); it was stopped.");
        }
    }
}
