namespace ControlPanel.Core.Builds;

/// <summary>Build history. The log is kept bounded with the record and in full beside it.</summary>
public interface IBuildStore
{
    Task AddAsync(Build build, Audit.AuditEntry audit, CancellationToken cancellationToken);

    Task UpdateAsync(Build build, CancellationToken cancellationToken);

    Task<Build?> FindAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>Newest first.</summary>
    Task<IReadOnlyList<Build>> ListAsync(string? service, int limit, CancellationToken cancellationToken);

    /// <summary>The newest build of this commit with these settings that produced an image.</summary>
    Task<Build?> FindReusableAsync(string service, string settingsFingerprint, string commitSha, CancellationToken cancellationToken);

    /// <summary>Builds that produced one of these digests, for the registry browser.</summary>
    Task<IReadOnlyList<Build>> FindByDigestsAsync(IReadOnlyCollection<string> digests, CancellationToken cancellationToken);

    /// <summary>Records that a running build is still alive (only its heartbeat, so it never overwrites newer state).</summary>
    Task TouchAsync(Guid id, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Marks running builds whose heartbeat is older than <paramref name="before"/> as interrupted, except <paramref name="alive"/>; returns how many.</summary>
    Task<int> MarkInterruptedAsync(DateTimeOffset before, IReadOnlyCollection<Guid> alive, CancellationToken cancellationToken);

    /// <summary>Stores the log when the build ends: the last <paramref name="keptTail"/> characters with the record, all of it in a file.</summary>
    Task SaveLogAsync(Guid id, string fullLog, int keptTail, CancellationToken cancellationToken);

    /// <summary>The whole log (from the file), or the kept tail when the file is gone; null for an unknown build.</summary>
    Task<string?> ReadLogAsync(Guid id, CancellationToken cancellationToken);
}
