using ControlPanel.Core.Releases;
using ControlPanel.Core.Services;

namespace ControlPanel.Core.Traffic;

/// <summary>Which services are routed through a router (or carried by any rotation), as their current releases say.</summary>
public sealed class RoutedServices(IServiceStore services, IReleaseStore releases)
{
    /// <summary>The current release of each service routed through <paramref name="router"/>.</summary>
    public async Task<IReadOnlyList<Release>> ThroughAsync(string router, CancellationToken cancellationToken) =>
        (await AllRoutedAsync(cancellationToken)).Where(r => r.Spec.Route!.Router == router).ToList();

    /// <summary>The current release of every routed service.</summary>
    public async Task<IReadOnlyList<Release>> AllRoutedAsync(CancellationToken cancellationToken) =>
        (await AllCurrentAsync(cancellationToken)).Where(r => r.Spec.Route is not null).ToList();

    /// <summary>The current release of every service that has deployed one (and is not deleted).</summary>
    public async Task<IReadOnlyList<Release>> AllCurrentAsync(CancellationToken cancellationToken)
    {
        var current = new List<Release>();
        foreach (var service in await services.ListAsync(cancellationToken))
        {
            // The release that runs says what the route is, not the definition saved since.
            if (service.Deleted) continue;
            if (await CurrentAsync(service.Service, cancellationToken) is { } release) current.Add(release);
        }
        return current;
    }

    /// <summary>The release the service last deployed, or null before its first.</summary>
    public async Task<Release?> CurrentAsync(string service, CancellationToken cancellationToken) =>
        await releases.CurrentReleaseAsync(service, cancellationToken) is { } number ? await releases.FindReleaseAsync(service, number, cancellationToken) : null;
}
