namespace ControlPanel.Core.Builds;

public sealed record GitCommit(string Sha, string Message, string Author);

/// <summary>What went into a build context.</summary>
/// <param name="Dockerfile">The Dockerfile's path inside the context, as passed to the engine.</param>
public sealed record BuildContextInfo(int Files, long Bytes, int Ignored, string Dockerfile);

/// <summary>Git sources kept in a local cache of clones. Errors are <see cref="SourceException"/> with git's own message.</summary>
public interface ISourceRepository
{
    /// <summary>
    /// Asks the repository, without fetching it, whether it can be read and names <paramref name="branch"/> (an empty
    /// repository names every branch: it has not been pushed to yet): null when it does, otherwise why not.
    /// </summary>
    Task<RepositoryProblem?> CheckAsync(string url, string branch, CancellationToken cancellationToken);

    /// <summary>Fetches every branch and tag of <paramref name="url"/> into the cache.</summary>
    Task FetchAsync(string url, CancellationToken cancellationToken);

    /// <summary>The commit a branch, tag or SHA names in the fetched repository.</summary>
    Task<GitCommit> ResolveAsync(string url, string revision, CancellationToken cancellationToken);

    /// <summary>
    /// Writes the build context as a tar: the tree at <paramref name="sha"/> under <paramref name="contextPath"/>, without .git,
    /// with .dockerignore honoured, and the Dockerfile added if it lies outside the context.
    /// </summary>
    Task<BuildContextInfo> WriteContextAsync(string url, string sha, string contextPath, string dockerfilePath, Stream destination, CancellationToken cancellationToken);
}

/// <summary>Why a repository cannot be built from: it cannot be read at all, or it lacks the branch.</summary>
public sealed record RepositoryProblem(bool BranchMissing, string Message);

public sealed class SourceException(string message) : Common.ControlPanelException(message);
