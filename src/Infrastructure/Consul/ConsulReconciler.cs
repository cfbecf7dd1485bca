using ControlPanel.Core.Discovery;
using ControlPanel.Core.Traffic;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ControlPanel.Infrastructure.Consul;

/// <summary>
/// Makes Consul match what runs, at start and every minute (fleet events are handled by the rotation keeper as they
/// come): each carried service's registrations are brought in line, and instances the panel registered for a replica
/// or service that no longer exists are removed; nothing the panel did not register is touched. Between passes it
/// renews the TTL checks of the replicas it registered, so a panel that dies lets them turn critical.
/// </summary>
public sealed class ConsulReconciler(TrafficRotation traffic, ConsulRotation consul, RoutedServices services, IConsulCatalog catalog,
    TimeProvider time, ILogger<ConsulReconciler> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan TtlRenewal = ConsulReplicaRegistration.Ttl / 3;

    /// <summary>Completed passes; tests wait on it.</summary>
    public int Passes => Volatile.Read(ref _passes);

    private int _passes;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var nextPass = time.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (time.GetUtcNow() >= nextPass)
                {
                    await ReconcileAsync(stoppingToken);
                    nextPass = time.GetUtcNow() + Interval;
                }
                await consul.RenewTtlChecksAsync(stoppingToken);
                await Task.Delay(TtlRenewal, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is Core.Common.ControlPanelException or OperationCanceledException)
            {
                logger.LogWarning("Consul reconcile did not finish: {Reason}; trying again in {Delay}", ex.Message, TtlRenewal);
                nextPass = time.GetUtcNow() + TtlRenewal;
                try { await Task.Delay(TtlRenewal, time, stoppingToken); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    /// <summary>One pass: every carried service in line, then orphans of the panel's own registrations removed.</summary>
    public async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        var current = (await services.AllCurrentAsync(cancellationToken)).Where(r => consul.Carries(r.Spec)).ToList();
        foreach (var release in current) await traffic.ReconcileAsync(consul, release, cancellationToken);
        // The names each carried service registers under now; anything else the panel registered is an orphan.
        var expected = current.ToDictionary(r => r.Service, r => DiscoveryRules.Effective(r.Spec)!.Value.Name ?? r.Service, StringComparer.Ordinal);
        var names = await catalog.ServicesAsync(0, TimeSpan.Zero, cancellationToken);
        var removed = 0;
        foreach (var name in names.Value.Keys)
        {
            var instances = await catalog.ServiceAsync(name, 0, TimeSpan.Zero, cancellationToken);
            foreach (var orphan in instances.Value.Where(i => ConsulReplicaRegistration.IsManaged(i)
                && (!expected.TryGetValue(i.Meta[ConsulReplicaRegistration.ServiceMeta], out var wanted) || wanted != name)))
            {
                await consul.DeregisterAsync(orphan, cancellationToken);
                removed++;
            }
        }
        Interlocked.Increment(ref _passes);
        logger.LogInformation("Consul reconciled: {Services} service(s) in line, {Removed} orphaned registration(s) removed", current.Count, removed);
    }
}
