using System.Text.Json;
using ControlPanel.Core.Audit;
using ControlPanel.Core.Releases;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Infrastructure.Persistence;

public sealed class EfReleaseStore(IDbContextFactory<ControlPanelDbContext> contexts) : IReleaseStore
{
    public async Task<Release> AddReleaseAsync(Release release, AuditEntry audit, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var number = 1 + (await db.Releases.Where(r => r.Service == release.Service).MaxAsync(r => (int?)r.Number, cancellationToken) ?? 0);
            db.Releases.Add(new ReleaseRecord
            {
                Service = release.Service, Number = number, Image = release.Image, Tag = release.Tag, Digest = release.Digest,
                SpecJson = JsonSerializer.Serialize(release.Spec, StoredJson.Options), ServiceRevision = release.ServiceRevision, BuildId = release.BuildId,
                CreatedBy = release.CreatedBy, CreatedAt = release.CreatedAt.ToUniversalTime(), Message = release.Message,
            });
            db.AuditEntries.Add(EfAuditLog.ToRecord(audit with { Detail = $"release {number}: {audit.Detail}" }));
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return release with { Number = number };
            }
            catch (DbUpdateException ex) when (attempt < 3 && DbErrors.IsUniqueViolation(ex, "releases"))
            {
                // Another release of the service took the number at the same moment: take the next.
            }
        }
    }

    public async Task<Release?> FindReleaseAsync(string service, int number, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.Releases.AsNoTracking().FirstOrDefaultAsync(r => r.Service == service && r.Number == number, cancellationToken);
        return row is null ? null : ToRelease(row);
    }

    public async Task<IReadOnlyList<Release>> ListReleasesAsync(string service, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return (await db.Releases.AsNoTracking().Where(r => r.Service == service).OrderByDescending(r => r.Number).ToListAsync(cancellationToken)).Select(ToRelease).ToList();
    }

    public async Task<IReadOnlyList<Release>> FindReleasesByDigestsAsync(IReadOnlyCollection<string> digests, CancellationToken cancellationToken)
    {
        if (digests.Count == 0) return [];
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return (await db.Releases.AsNoTracking().Where(r => digests.Contains(r.Digest)).OrderByDescending(r => r.CreatedAt).Take(1000).ToListAsync(cancellationToken)).Select(ToRelease).ToList();
    }

    public async Task StartDeploymentAsync(Deployment deployment, AuditEntry audit, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        // The usual refusal without a failing insert (EF Core logs every one as an error with its trace); the unique
        // key below still settles a race between two instances.
        if (await db.DeploymentLocks.AsNoTracking().FirstOrDefaultAsync(l => l.Service == deployment.Service, cancellationToken) is { } held)
            throw new DeploymentInProgressException(deployment.Service, held.HeldBy, held.Since, held.DeploymentId);
        db.DeploymentLocks.Add(new DeploymentLockRecord { Service = deployment.Service, DeploymentId = deployment.Id, HeldBy = deployment.StartedBy, Since = deployment.StartedAt.ToUniversalTime() });
        db.Deployments.Add(new DeploymentRecord
        {
            Id = deployment.Id, Kind = deployment.Kind.ToString().ToLowerInvariant(), Service = deployment.Service, Release = deployment.Release, PreviousRelease = deployment.PreviousRelease,
            StartedBy = deployment.StartedBy, StartedAt = deployment.StartedAt.ToUniversalTime(), Status = DeploymentStatus.Running.ToString(),
            Message = Cut(deployment.Message, 1000), HeartbeatAt = deployment.StartedAt.ToUniversalTime(), LeavingNode = deployment.LeavingNode,
        });
        db.AuditEntries.Add(EfAuditLog.ToRecord(audit));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (DbErrors.IsUniqueViolation(ex, "deployment_locks"))
        {
            // Only the lock's own key means someone else is deploying; any other failure (disk, constraint) is itself.
            // The lock row exists: say who holds it (read afresh: it may have been released meanwhile).
            await using var read = await contexts.CreateDbContextAsync(cancellationToken);
            var holder = await read.DeploymentLocks.AsNoTracking().FirstOrDefaultAsync(l => l.Service == deployment.Service, cancellationToken);
            if (holder is null) throw new Core.Common.InvalidRequestException("service", $"Service '{deployment.Service}' was being deployed a moment ago; try again.");
            throw new DeploymentInProgressException(deployment.Service, holder.HeldBy, holder.Since, holder.DeploymentId);
        }
    }

    public async Task<DeploymentStep> AddStepAsync(Guid deployment, DeploymentStep step, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = new DeploymentStepRecord
        {
            DeploymentId = deployment, Node = step.Node, Slot = step.Slot, Action = step.Action.Name(), At = step.At.ToUniversalTime(),
            DurationMs = step.Duration is { } d ? (long)d.TotalMilliseconds : null, Image = Cut(step.Image, 500), ContainerName = Cut(step.ContainerName, 100),
            ContainerId = Cut(step.ContainerId, 100), Detail = Cut(step.Detail, 4000), Failed = step.Failed,
        };
        db.DeploymentSteps.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        return step with { Id = row.Id };
    }

    public async Task FinishStepAsync(long stepId, TimeSpan duration, bool failed, string? detail, string? containerId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var ms = (long)duration.TotalMilliseconds;
        var text = Cut(detail, 4000);
        var container = Cut(containerId, 100);
        await db.DeploymentSteps.Where(s => s.Id == stepId).ExecuteUpdateAsync(s => s
            .SetProperty(x => x.DurationMs, ms)
            .SetProperty(x => x.Failed, failed)
            .SetProperty(x => x.Detail, x => text ?? x.Detail)
            .SetProperty(x => x.ContainerId, x => container ?? x.ContainerId), cancellationToken);
    }

    public async Task FinishDeploymentAsync(Guid deployment, DeploymentStatus status, string? reason, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var when = at.ToUniversalTime();
        var text = Cut(reason, 4000);
        await db.Deployments.Where(d => d.Id == deployment).ExecuteUpdateAsync(s => s
            .SetProperty(d => d.Status, status.ToString()).SetProperty(d => d.Reason, text).SetProperty(d => d.FinishedAt, when), cancellationToken);
        await db.DeploymentLocks.Where(l => l.DeploymentId == deployment).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<Deployment?> FindDeploymentAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.Deployments.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (row is null) return null;
        var steps = await db.DeploymentSteps.AsNoTracking().Where(s => s.DeploymentId == id).OrderBy(s => s.Id).ToListAsync(cancellationToken);
        return ToDeployment(row) with { Steps = steps.Select(ToStep).ToList() };
    }

    public async Task<IReadOnlyList<Deployment>> ListDeploymentsAsync(string? service, int limit, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = db.Deployments.AsNoTracking();
        if (service is { Length: > 0 }) rows = rows.Where(d => d.Service == service);
        return (await rows.OrderByDescending(d => d.StartedAt).Take(limit).ToListAsync(cancellationToken)).Select(ToDeployment).ToList();
    }

    public async Task<IReadOnlyList<Deployment>> ListRunningDeploymentsAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        // Through the locks (one row per deployment in flight, keyed by service) rather than a scan of every deployment's status.
        return (await db.Deployments.AsNoTracking().Where(d => db.DeploymentLocks.Any(l => l.DeploymentId == d.Id)).ToListAsync(cancellationToken))
            .Select(ToDeployment).ToList();
    }

    public async Task TouchDeploymentAsync(Guid deployment, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var when = at.ToUniversalTime();
        var running = DeploymentStatus.Running.ToString();
        await db.Deployments.Where(d => d.Id == deployment && d.Status == running).ExecuteUpdateAsync(s => s.SetProperty(d => d.HeartbeatAt, when), cancellationToken);
    }

    public async Task<IReadOnlyList<Deployment>> MarkInterruptedAsync(DateTimeOffset before, IReadOnlyCollection<Guid> alive, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var cutoff = before.ToUniversalTime();
        var running = DeploymentStatus.Running.ToString();
        var stale = await db.Deployments.Where(d => d.Status == running && (d.HeartbeatAt == null || d.HeartbeatAt < cutoff) && !alive.Contains(d.Id)).ToListAsync(cancellationToken);
        foreach (var d in stale)
        {
            d.Status = DeploymentStatus.Interrupted.ToString();
            d.FinishedAt = at.ToUniversalTime();
            d.Reason = "The panel running this deployment stopped mid-way; each slot was left with the replicas it had (see the steps), and replicas that never started were removed.";
        }
        var ids = stale.Select(d => d.Id).ToList();
        db.DeploymentLocks.RemoveRange(await db.DeploymentLocks.Where(l => ids.Contains(l.DeploymentId)).ToListAsync(cancellationToken));
        await db.SaveChangesAsync(cancellationToken);
        return stale.Select(ToDeployment).ToList();
    }

    public async Task<int?> CurrentReleaseAsync(string service, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var applied = new[] { DeploymentStatus.Succeeded.ToString(), DeploymentStatus.NoOp.ToString() };
        return await db.Deployments.AsNoTracking().Where(d => d.Service == service && applied.Contains(d.Status))
            .OrderByDescending(d => d.FinishedAt).Select(d => (int?)d.Release).FirstOrDefaultAsync(cancellationToken);
    }

    private static Release ToRelease(ReleaseRecord r) => new()
    {
        Service = r.Service, Number = r.Number, Image = r.Image, Tag = r.Tag, Digest = r.Digest,
        Spec = JsonSerializer.Deserialize<RuntimeSpec>(r.SpecJson, StoredJson.Options)!, ServiceRevision = r.ServiceRevision, BuildId = r.BuildId,
        CreatedBy = r.CreatedBy, CreatedAt = r.CreatedAt, Message = r.Message,
    };

    private static Deployment ToDeployment(DeploymentRecord d) => new()
    {
        Id = d.Id, Kind = Enum.TryParse<DeploymentKind>(d.Kind, ignoreCase: true, out var kind) ? kind : DeploymentKind.Release, Service = d.Service, Release = d.Release, PreviousRelease = d.PreviousRelease, StartedBy = d.StartedBy, StartedAt = d.StartedAt,
        FinishedAt = d.FinishedAt, Status = Enum.Parse<DeploymentStatus>(d.Status), Reason = d.Reason, Message = d.Message, LeavingNode = d.LeavingNode,
    };

    private static DeploymentStep ToStep(DeploymentStepRecord s) =>
        new(s.Id, s.Node, s.Slot, DeploymentStepActions.Parse(s.Action), s.At, s.DurationMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null,
            s.Image, s.ContainerName, s.ContainerId, s.Detail, s.Failed);

    private static string? Cut(string? value, int max) => value is { } v && v.Length > max ? v[..max] : value;
}
