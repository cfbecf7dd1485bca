using System.Text.Json;
using ControlPanel.Core.Audit;
using ControlPanel.Core.Builds;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Infrastructure.Persistence;

/// <summary>Build history in the database; each build's full log in a file under <paramref name="logDirectory"/>.</summary>
public sealed class EfBuildStore(IDbContextFactory<ControlPanelDbContext> contexts, string logDirectory) : IBuildStore
{
    private static readonly string Running = BuildStatus.Running.ToString();

    public async Task AddAsync(Build build, AuditEntry audit, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = new BuildRecord { Id = build.Id };
        Copy(build, row);
        db.Builds.Add(row);
        db.AuditEntries.Add(EfAuditLog.ToRecord(audit));
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task UpdateAsync(Build build, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.Builds.FirstAsync(b => b.Id == build.Id, cancellationToken);
        Copy(build, row);
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task TouchAsync(Guid id, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var when = at.ToUniversalTime();
        await db.Builds.Where(b => b.Id == id && b.Status == Running).ExecuteUpdateAsync(s => s.SetProperty(b => b.HeartbeatAt, when), cancellationToken);
    }

    public async Task<int> MarkInterruptedAsync(DateTimeOffset before, IReadOnlyCollection<Guid> alive, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var cutoff = before.ToUniversalTime();
        var now = DateTimeOffset.UtcNow;
        return await db.Builds.Where(b => b.Status == Running && (b.HeartbeatAt == null || b.HeartbeatAt < cutoff) && !alive.Contains(b.Id))
            .ExecuteUpdateAsync(s => s
                .SetProperty(b => b.Status, BuildStatus.Interrupted.ToString())
                .SetProperty(b => b.FinishedAt, now)
                .SetProperty(b => b.Error, "The panel stopped while this build ran; start it again."), cancellationToken);
    }

    public async Task<Build?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.Builds.AsNoTracking().FirstOrDefaultAsync(b => b.Id == id, cancellationToken);
        return row is null ? null : ToBuild(row);
    }

    public async Task<IReadOnlyList<Build>> ListAsync(string? service, int limit, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = db.Builds.AsNoTracking();
        if (service is { Length: > 0 }) rows = rows.Where(b => b.Service == service);
        return (await rows.OrderByDescending(b => b.StartedAt).Take(limit).ToListAsync(cancellationToken)).Select(ToBuild).ToList();
    }

    public async Task<Build?> FindReusableAsync(string service, string settingsFingerprint, string commitSha, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var succeeded = BuildStatus.Succeeded.ToString();
        var row = await db.Builds.AsNoTracking()
            .Where(b => b.Service == service && b.SettingsFingerprint == settingsFingerprint && b.CommitSha == commitSha && b.Status == succeeded && b.Digest != null)
            .OrderByDescending(b => b.StartedAt).FirstOrDefaultAsync(cancellationToken);
        return row is null ? null : ToBuild(row);
    }

    public async Task<IReadOnlyList<Build>> FindByDigestsAsync(IReadOnlyCollection<string> digests, CancellationToken cancellationToken)
    {
        if (digests.Count == 0) return [];
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.Builds.AsNoTracking().Where(b => b.Digest != null && digests.Contains(b.Digest)).OrderByDescending(b => b.StartedAt).Take(1000).ToListAsync(cancellationToken);
        return rows.Select(ToBuild).ToList();
    }

    public async Task SaveLogAsync(Guid id, string fullLog, int keptTail, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(logDirectory);
        await File.WriteAllTextAsync(LogFile(id), fullLog, cancellationToken);
        var tail = fullLog.Length <= keptTail ? fullLog : "[earlier lines are in the downloadable log]\n" + fullLog[^keptTail..];
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Builds.Where(b => b.Id == id).ExecuteUpdateAsync(s => s.SetProperty(b => b.LogTail, tail), cancellationToken);
    }

    public async Task<string?> ReadLogAsync(Guid id, CancellationToken cancellationToken)
    {
        if (File.Exists(LogFile(id))) return await File.ReadAllTextAsync(LogFile(id), cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.Builds.AsNoTracking().Where(b => b.Id == id).Select(b => new { b.LogTail }).FirstOrDefaultAsync(cancellationToken);
        return row is null ? null : row.LogTail ?? "";
    }

    private string LogFile(Guid id) => Path.Combine(logDirectory, $"{id:N}.log");

    private static void Copy(Build b, BuildRecord row)
    {
        row.Service = b.Service;
        row.ServiceRevision = b.ServiceRevision;
        row.Requested = b.Requested;
        row.Node = b.Node;
        row.RequestedBy = b.RequestedBy;
        row.StartedAt = b.StartedAt.ToUniversalTime();
        row.FinishedAt = b.FinishedAt?.ToUniversalTime();
        row.HeartbeatAt = b.HeartbeatAt?.ToUniversalTime() ?? row.HeartbeatAt;
        row.SettingsFingerprint = b.SettingsFingerprint;
        row.Rebuild = b.Rebuild;
        row.TagBranch = b.TagBranch;
        row.Status = b.Status.ToString();
        row.CommitSha = b.CommitSha;
        row.CommitMessage = b.CommitMessage is { Length: > 1000 } m ? m[..1000] : b.CommitMessage;
        row.CommitAuthor = b.CommitAuthor is { Length: > 300 } a ? a[..300] : b.CommitAuthor;
        row.ImagesJson = JsonSerializer.Serialize(b.Images, StoredJson.Options);
        row.Digest = b.Digest;
        row.PhasesJson = JsonSerializer.Serialize(b.Phases, StoredJson.Options);
        row.StepsJson = JsonSerializer.Serialize(b.Steps, StoredJson.Options);
        row.FailedPhase = b.FailedPhase?.ToString();
        row.Error = b.Error is { Length: > 4000 } e ? e[..4000] : b.Error;
        row.ReusedFrom = b.ReusedFrom;
    }

    private static Build ToBuild(BuildRecord r) => new()
    {
        Id = r.Id,
        Service = r.Service,
        ServiceRevision = r.ServiceRevision,
        Requested = r.Requested,
        Node = r.Node,
        RequestedBy = r.RequestedBy,
        StartedAt = r.StartedAt,
        FinishedAt = r.FinishedAt,
        HeartbeatAt = r.HeartbeatAt,
        SettingsFingerprint = r.SettingsFingerprint,
        Rebuild = r.Rebuild,
        TagBranch = r.TagBranch,
        Status = Enum.Parse<BuildStatus>(r.Status),
        CommitSha = r.CommitSha,
        CommitMessage = r.CommitMessage,
        CommitAuthor = r.CommitAuthor,
        Images = JsonSerializer.Deserialize<List<string>>(r.ImagesJson, StoredJson.Options) ?? [],
        Digest = r.Digest,
        Phases = JsonSerializer.Deserialize<List<BuildPhase>>(r.PhasesJson, StoredJson.Options) ?? [],
        Steps = JsonSerializer.Deserialize<List<BuildStep>>(r.StepsJson, StoredJson.Options) ?? [],
        FailedPhase = r.FailedPhase is null ? null : Enum.Parse<BuildPhaseKind>(r.FailedPhase),
        Error = r.Error,
        ReusedFrom = r.ReusedFrom,
    };
}
