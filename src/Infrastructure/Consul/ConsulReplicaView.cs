using System.Runtime.CompilerServices;
using ControlPanel.Core.Discovery;
using ControlPanel.Core.Releases;
using Microsoft.Extensions.Options;

namespace ControlPanel.Infrastructure.Consul;

/// <summary>Consul's health of a service's instances that the panel registered, keyed by the container each names.</summary>
public sealed class ConsulReplicaView(IConsulCatalog catalog, IOptions<ConsulOptions> options, TimeProvider time) : IReplicaRegistrations
{
    public bool Registers(RuntimeSpec spec) => options.Value.RegisterReplicas && DiscoveryRules.Effective(spec) is not null;

    public async IAsyncEnumerable<RegistrationView> WatchAsync(string service, RuntimeSpec spec, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var name = DiscoveryRules.Effective(spec)?.Name ?? service;
        await foreach (var snapshot in ConsulWatch.FollowAsync((index, wait, ct) => catalog.HealthAsync(name, false, index, wait, ct), WatchPacing.Default, time, cancellationToken))
        {
            var byContainer = (snapshot.Value ?? [])
                .Where(e => ConsulReplicaRegistration.IsManaged(e.Service) && e.Service.Meta[ConsulReplicaRegistration.ServiceMeta] == service
                    && e.Service.Meta.ContainsKey(ConsulReplicaRegistration.ContainerMeta))
                .GroupBy(e => e.Service.Meta[ConsulReplicaRegistration.ContainerMeta], StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => Describe(g.First()), StringComparer.Ordinal);
            yield return new RegistrationView(byContainer, snapshot.Error is null ? null : $"Consul's view may be stale: {snapshot.Error}");
        }
    }

    private static ReplicaRegistration Describe(ServiceHealth entry)
    {
        // Passing needs no explanation; otherwise the checks that are not passing say why.
        var worst = entry.Status == CheckStatus.Passing ? [] : entry.Checks.Where(c => c.Status != CheckStatus.Passing).ToList();
        var output = string.Join("; ", worst.Select(c => string.IsNullOrWhiteSpace(c.Output) ? c.Name : $"{c.Name}: {c.Output.Trim()}"));
        return new ReplicaRegistration(entry.Service.ServiceId, entry.Status, output);
    }
}
