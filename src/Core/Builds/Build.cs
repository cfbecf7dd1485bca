namespace ControlPanel.Core.Builds;

public enum BuildStatus
{
    Running,
    Succeeded,
    /// <summary>The commit was already built with the same settings; its image was reused.</summary>
    Reused,
    Failed,
    Cancelled,
    /// <summary>The panel stopped while the build ran.</summary>
    Interrupted,
}

public enum BuildPhaseKind
{
    Fetch,
    Context,
    Build,
    Push,
}

/// <summary>One phase of a build; <see cref="Duration"/> is null while it runs.</summary>
public sealed record BuildPhase(BuildPhaseKind Kind, DateTimeOffset StartedAt, TimeSpan? Duration, bool Failed = false);

/// <summary>A Dockerfile instruction as the engine ran it; <see cref="Cached"/> when its layer came from the builder's cache.</summary>
public sealed record BuildStep(int Number, int Total, string Instruction, bool Cached);

/// <summary>What a user asked for: a branch head (no revision) or a commit SHA or tag, built on one node.</summary>
public sealed record BuildRequest(string Service, string? Revision, string Node, bool Rebuild = false, bool TagBranch = false);

/// <summary>A build, as recorded: who asked, what commit, how each phase went, and the image it made.</summary>
public sealed record Build
{
    public required Guid Id { get; init; }
    public required string Service { get; init; }
    public required int ServiceRevision { get; init; }
    /// <summary>What was asked for: the branch name, a SHA or a tag.</summary>
    public required string Requested { get; init; }
    public required string Node { get; init; }
    public required string RequestedBy { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public required string SettingsFingerprint { get; init; }
    public bool Rebuild { get; init; }
    /// <summary>Also tag the image with the branch name (builds of the branch head only).</summary>
    public bool TagBranch { get; init; }
    /// <summary>Set while running, so another instance of the panel can tell a live build from one whose panel died.</summary>
    public DateTimeOffset? HeartbeatAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public BuildStatus Status { get; init; } = BuildStatus.Running;
    public string? CommitSha { get; init; }
    public string? CommitMessage { get; init; }
    public string? CommitAuthor { get; init; }
    /// <summary>repository:tag references pushed, e.g. 127.0.0.1:5055/shop/api:1a2b3c4.</summary>
    public IReadOnlyList<string> Images { get; init; } = [];
    public string? Digest { get; init; }
    public IReadOnlyList<BuildPhase> Phases { get; init; } = [];
    public IReadOnlyList<BuildStep> Steps { get; init; } = [];
    public BuildPhaseKind? FailedPhase { get; init; }
    public string? Error { get; init; }
    public Guid? ReusedFrom { get; init; }

    public string? ShortSha => CommitSha?[..Math.Min(7, CommitSha.Length)];
    public bool IsFinished => Status != BuildStatus.Running;
    public TimeSpan? Duration => FinishedAt - StartedAt;
}

/// <summary>Push progress of one layer, as the engine reports it.</summary>
public sealed record LayerProgress(string Layer, string Status, long? Current, long? Total);
