using System.Text.RegularExpressions;
using ControlPanel.Core.Common;
using ControlPanel.Core.Fleet;
using ControlPanel.Core.Registries;
using ControlPanel.Core.Services;
using Microsoft.Extensions.Logging;

namespace ControlPanel.Core.Builds;

/// <summary>The phases of one build — fetch, context, build, push — each timed and recorded before the next starts.</summary>
public sealed partial class BuildPipeline(
    ISourceRepository sources,
    IImageBuilder builder,
    IRegistryStore registries,
    IRegistryClient registryClient,
    IBuildStore store,
    Releases.ISecretProtector secrets,
    TimeProvider time,
    ILogger<BuildPipeline> logger)
{
    /// <summary>The build arguments with secret ones decrypted, and those hidden from the build's log.</summary>
    private Dictionary<string, string> BuildArgs(BuildSettings settings, BuildFeed feed) => settings.BuildArgs.ToDictionary(a => a.Key, a =>
    {
        if (!settings.SecretBuildArgs.Contains(a.Key)) return a.Value;
        var value = secrets.Unprotect(a.Value);
        feed.Hide(value);
        return value;
    });

    /// <summary>Runs the build to its end; never throws (the outcome is in the feed and the store).</summary>
    public async Task RunAsync(BuildFeed feed, BuildSettings settings, RegistryDefinition registry, NodeDefinition node, CancellationToken cancellationToken)
    {
        var build = feed.Current;
        var writes = new BuildRecordWrites(store, logger);
        try
        {
            // BuildService refuses image-only services before a build starts; this only keeps the pipeline honest.
            var url = settings.RepositoryUrl ?? throw new SourceException($"Service '{build.Service}' has no repository URL to build from.");
            var credentials = await registries.GetCredentialsAsync(registry.Name, cancellationToken);
            if (credentials is not null) feed.Hide(credentials.Password);

            var commit = await PhaseAsync(feed, writes, BuildPhaseKind.Fetch, async () =>
            {
                feed.Log($"Fetching {url}");
                await sources.FetchAsync(url, cancellationToken);
                var found = await sources.ResolveAsync(url, build.Requested, cancellationToken);
                feed.Log($"{build.Requested} is {found.Sha[..7]} \"{found.Message}\" by {found.Author}");
                return found;
            });
            // Stored with the next phase's start (or the outcome), like the end of the fetch itself.
            build = feed.Update(b => b with { CommitSha = commit.Sha, CommitMessage = commit.Message, CommitAuthor = commit.Author });

            if (!build.Rebuild && await FindReusableAsync(feed, build, registry, credentials, settings, cancellationToken) is { } previous)
            {
                feed.Log($"Commit {build.ShortSha} was already built with these settings by build {previous.Id} ({previous.Images.FirstOrDefault()}); reusing its image {previous.Digest}. Ask for a rebuild to build it again.");
                await FinishAsync(feed, writes, b => b with { Status = BuildStatus.Reused, Images = previous.Images, Digest = previous.Digest, ReusedFrom = previous.Id });
                return;
            }

            var repository = $"{registry.Host}/{settings.ImageRepository}";
            var tags = new List<string> { build.ShortSha! };
            // The branch tag follows the branch head, so only a build of the head moves it.
            if (build.TagBranch && build.Requested == settings.Branch) tags.Add(BranchTag(settings.Branch));
            var contextFile = Path.Combine(Path.GetTempPath(), $"controlpanel-context-{build.Id:N}.tar");
            try
            {
                await using var context = new FileStream(contextFile, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose);
                var info = await PhaseAsync(feed, writes, BuildPhaseKind.Context, async () =>
                {
                    var written = await sources.WriteContextAsync(url, commit.Sha, settings.ContextPath, settings.DockerfilePath, context, cancellationToken);
                    feed.Log($"Context: {written.Files} files, {written.Bytes:N0} bytes ({written.Ignored} left out by .dockerignore)");
                    return written;
                });
                context.Position = 0;
                // No build-time labels: the classic builder makes each a step of its own (~55 ms each here), and the
                // build record already ties commit, image and digest together (the registry browser shows it by digest).
                var spec = new ImageBuildSpec(info.Dockerfile, tags.Select(t => $"{repository}:{t}").ToList(), BuildArgs(settings, feed));
                await PhaseAsync(feed, writes, BuildPhaseKind.Build, () => builder.BuildAsync(node, context, spec, feed, cancellationToken));
            }
            finally
            {
                File.Delete(contextFile);
            }

            var digest = await PhaseAsync(feed, writes, BuildPhaseKind.Push, async () =>
            {
                string? pushed = null;
                foreach (var tag in tags) pushed = await builder.PushAsync(node, registry, credentials, repository, tag, feed, cancellationToken);
                return pushed!;
            });
            feed.Log($"Pushed {repository}:{tags[0]} as {digest}");
            await FinishAsync(feed, writes, b => b with { Status = BuildStatus.Succeeded, Images = tags.Select(t => $"{repository}:{t}").ToList(), Digest = digest });
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            feed.Log("Build cancelled.");
            await FinishAsync(feed, writes, b => b with { Status = BuildStatus.Cancelled, Error = "Cancelled by a user.", FailedPhase = RunningPhase(b) });
        }
        catch (Exception ex) when (ex is ControlPanelException)
        {
            var message = feed.Scrub(ex.Message);
            feed.Log($"Failed: {message}");
            await FinishAsync(feed, writes, b => b with { Status = BuildStatus.Failed, Error = message, FailedPhase = RunningPhase(b) });
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Build {Build} of {Service} failed unexpectedly", build.Id, build.Service);
            feed.Log("Failed: the panel hit an unexpected error; it has been logged.");
            await FinishAsync(feed, writes, b => b with { Status = BuildStatus.Failed, Error = "Unexpected error (logged by the panel).", FailedPhase = RunningPhase(b) });
        }
    }

    private async Task<Build?> FindReusableAsync(BuildFeed feed, Build build, RegistryDefinition registry, RegistryCredentials? credentials, BuildSettings settings, CancellationToken ct)
    {
        var previous = await store.FindReusableAsync(build.Service, build.SettingsFingerprint, build.CommitSha!, ct);
        if (previous?.Digest is null) return null;
        try
        {
            if (await registryClient.FindImageAsync(registry, credentials, settings.ImageRepository, previous.Digest, ct) is not null) return previous;
            feed.Log($"Build {previous.Id} made this commit's image, but the registry no longer has {previous.Digest}; building again.");
        }
        catch (RegistryException ex)
        {
            feed.Log($"Could not check the registry for the earlier image ({feed.Scrub(ex.Message)}); building again.");
        }
        return null;
    }

    private async Task<T> PhaseAsync<T>(BuildFeed feed, BuildRecordWrites writes, BuildPhaseKind kind, Func<Task<T>> run)
    {
        var started = time.GetUtcNow();
        writes.Store(feed.Update(b => b with { Phases = [.. b.Phases, new BuildPhase(kind, started, null)] }));
        try
        {
            var result = await run();
            // Shown now, stored with the next phase's start or the build's outcome: one database write per phase, not two.
            feed.Update(b => EndPhase(b, kind, time.GetUtcNow() - started, failed: false));
            return result;
        }
        catch
        {
            feed.Update(b => EndPhase(b, kind, time.GetUtcNow() - started, failed: true));
            throw;
        }
    }

    private static Build EndPhase(Build build, BuildPhaseKind kind, TimeSpan duration, bool failed) =>
        build with { Phases = build.Phases.Select(p => p.Kind == kind && p.Duration is null ? p with { Duration = duration, Failed = failed } : p).ToList() };

    private static BuildPhaseKind? RunningPhase(Build build) => build.Phases.LastOrDefault(p => p.Failed || p.Duration is null)?.Kind ?? build.Phases.LastOrDefault()?.Kind;

    private async Task FinishAsync(BuildFeed feed, BuildRecordWrites writes, Func<Build, Build> change)
    {
        // Stored first (even when cancelled or the requester is gone), then shown: whoever sees the build finished
        // can use its record at once (a release reads the digest from the database).
        var finished = change(feed.Current) with { FinishedAt = time.GetUtcNow() };
        try
        {
            await writes.FlushAsync();
            await store.UpdateAsync(finished, CancellationToken.None);
            await store.SaveLogAsync(finished.Id, feed.FullLog(), keptTail: 64 * 1024, CancellationToken.None);
        }
        catch (Exception ex)
        {
            // Still shown as ended: whoever watches must not wait forever. Either the record stays "running" (until
            // housekeeping marks it interrupted) or only its log is missing; the viewer is told which could not be kept.
            logger.LogError(ex, "Build {Build} of {Service}: its outcome ({Status}) or its log could not be stored", finished.Id, finished.Service, finished.Status);
            feed.Log($"The panel could not store this build's outcome or its log ({ex.GetType().Name}, logged); if its record does not show it finished, build again before releasing it.");
        }
        feed.Update(_ => finished);
        logger.LogInformation("Build {Build} of {Service} at {Commit}: {Status}", finished.Id, finished.Service, finished.ShortSha, finished.Status);
    }

    /// <summary>A branch name as a Docker tag: [A-Za-z0-9_.-], at most 128 characters, not starting with . or -.</summary>
    public static string BranchTag(string branch)
    {
        var tag = NotTagCharacters().Replace(branch, "-").TrimStart('.', '-');
        return tag.Length == 0 ? "branch" : tag[..Math.Min(128, tag.Length)];
    }

    [GeneratedRegex("[^A-Za-z0-9_.-]")]
    private static partial Regex NotTagCharacters();
}
