using ControlPanel.Core.Releases;
using ControlPanel.Core.Services;

namespace ControlPanel.Core.Traffic;

/// <summary>Which services are routed through a router, as their current releases say.</summary>
public sealed class RoutedServices(IServiceStore services, IReleaseStore releases)
{
    /// <summary>The current release of each service routed through <paramref name="router"/>.</summary>
    public async Task<IReadOnlyList<Release>> ThroughAsync(string router, CancellationToken cancellationToken) =>
        (await AllRoutedAsync(cancellationToken)).Where(r => r.Spec.Route!.Router == router).ToList();

    /// <summary>The current release of every routed service.</summary>
    public async Task<IReadOnlyList<Release>> AllRoutedAsync(CancellationToken cancellationToken)
    {
        var routed = new List<Release>();
        foreach (var service in await services.ListAsync(cancellationToken))
        {
            // The release that runs says what the route is, not the definition saved since.
            if (service.Deleted) continue;
            if (await CurrentAsync(service.Service, cancellationToken) is { Spec.Route: not null } release) routed.Add(release);
        }
        return routed;
    }

    /// <summary>The release the service last deployed, or null before its first.</summary>
    public async Task<Release?> CurrentAsync(string service, CancellationToken cancellationToken) =>
        await releases.CurrentReleaseAsync(service, cancellationToken) is { } number ? await releases.FindReleaseAsync(service, number, cancellationToken) : null;
}
