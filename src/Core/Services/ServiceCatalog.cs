using ControlPanel.Core.Audit;
using ControlPanel.Core.Registries;
using ControlPanel.Core.Security;

namespace ControlPanel.Core.Services;

/// <summary>Defining services and reading their history, for pages and API alike.</summary>
public sealed class ServiceCatalog(IServiceStore store, IRegistryStore registries, ICurrentActor actor, TimeProvider time)
{
    public async Task<IReadOnlyList<ServiceRevision>> ListAsync(CancellationToken cancellationToken)
    {
        await actor.RequireAsync(Permission.ViewFleet, cancellationToken);
        return await store.ListAsync(cancellationToken);
    }

    public async Task<ServiceRevision> GetAsync(string name, int? revision, CancellationToken cancellationToken)
    {
        await actor.RequireAsync(Permission.ViewFleet, cancellationToken);
        return await store.FindAsync(name, revision, cancellationToken) ?? throw new ServiceNotFoundException(name, revision);
    }

    public async Task<IReadOnlyList<ServiceRevision>> RevisionsAsync(string name, CancellationToken cancellationToken)
    {
        await actor.RequireAsync(Permission.ViewFleet, cancellationToken);
        var revisions = await store.RevisionsAsync(name, cancellationToken);
        return revisions.Count > 0 ? revisions : throw new ServiceNotFoundException(name);
    }

    /// <summary>Creates the service or stores its next revision; an unchanged definition stores nothing and returns the current one.</summary>
    public async Task<(ServiceRevision Revision, bool Changed)> SaveAsync(string name, BuildSettings settings, CancellationToken cancellationToken)
    {
        var who = await actor.RequireAsync(Permission.Deploy, cancellationToken);
        ServiceValidation.RequireName(name);
        var valid = ServiceValidation.Validate(settings);
        if (await registries.FindAsync(valid.Registry, cancellationToken) is null)
            throw new Common.InvalidRequestException("registry", $"Registry '{valid.Registry}' is not configured in the panel; add it under Registries first.");
        var current = await store.FindAsync(name, null, cancellationToken);
        if (current is not null && current.Build.SameAs(valid)) return (current, false);
        var audit = new AuditEntry
        {
            At = time.GetUtcNow(),
            Actor = who.Name,
            ClientAddress = who.ClientAddress,
            Action = current is null ? "service.create" : "service.change",
            Target = name,
            Detail = $"revision {(current?.Number ?? 0) + 1}: {valid.RepositoryUrl} {valid.Branch} → {valid.Registry}/{valid.ImageRepository}",
            Succeeded = true,
            Duration = TimeSpan.Zero,
        };
        return (await store.AddRevisionAsync(name, valid, audit, cancellationToken), true);
    }
}
