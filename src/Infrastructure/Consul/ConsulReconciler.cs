using ControlPanel.Core.Discovery;
using ControlPanel.Core.Fleet;
using ControlPanel.Core.Releases;
using ControlPanel.Core.Traffic;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ControlPanel.Infrastructure.Consul;

/// <summary>
/// Makes Consul match what runs, at start and every minute (fleet events are handled by the rotation keeper as they
/// come): each carried service's registrations are brought in line, and instances the panel registered for a replica
/// or service that no longer exists are removed; nothing the panel did not register is touched, and a service with a
/// deployment running is left to that deployment. Beside it, on its own clock, the TTL checks of the replicas the panel
/// registered are renewed, so a failing pass cannot let them expire, and a panel that dies lets them turn critical.
/// </summary>
public sealed class ConsulReconciler(TrafficRotation traffic, ConsulRotation consul, RoutedServices services, IReleaseStore releases, IConsulCatalog catalog,
    INodeDirectory nodes, TimeProvider time, ILogger<ConsulReconciler> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan TtlRenewal = ConsulReplicaRegistration.Ttl / 3;

    /// <summary>Completed passes; tests wait on it.</summary>
    public int Passes => Volatile.Read(ref _passes);

    private int _passes;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(EveryAsync(TtlRenewal, consul.RenewTtlChecksAsync, "renewing TTL checks", stoppingToken), ReconcileLoopAsync(stoppingToken));

    private async Task ReconcileLoopAsync(CancellationToken stoppingToken)
    {
        // Until Consul's nodes are known, their replicas would look missing (and their registrations orphaned).
        await Task.WhenAny(nodes.Ready, Task.Delay(TimeSpan.FromSeconds(10), time, stoppingToken));
        await EveryAsync(Interval, ReconcileAsync, "reconciling", stoppingToken);
    }

    private async Task EveryAsync(TimeSpan interval, Func<CancellationToken, Task> pass, string what, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await pass(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Whatever failed (Consul, an engine, the database), the loop goes on: stopping would stop the panel.
                logger.LogWarning(ex, "Consul: {What} did not finish; trying again in {Delay}", what, interval);
            }
            try
            {
                await Task.Delay(interval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// One pass: the panel's registrations found under any name; those of services no longer carried (deleted, opted
    /// out) removed; then every carried service brought in line, which also removes its instances under a name it no
    /// longer uses.
    /// </summary>
    public async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        var deploying = (await releases.ListRunningDeploymentsAsync(cancellationToken)).Select(d => d.Service).ToHashSet(StringComparer.Ordinal);
        var current = (await services.AllCurrentAsync(cancellationToken)).Where(r => consul.Carries(r.Spec)).ToDictionary(r => r.Service, StringComparer.Ordinal);
        var names = await catalog.ServicesAsync(0, TimeSpan.Zero, cancellationToken);
        var managed = new List<CatalogServiceInstance>();
        foreach (var name in names.Value.Keys)
            managed.AddRange((await catalog.ServiceAsync(name, 0, TimeSpan.Zero, cancellationToken)).Value.Where(ConsulReplicaRegistration.IsManaged));
        var removed = 0;
        foreach (var orphan in managed.Where(i => !current.ContainsKey(Owner(i)) && !deploying.Contains(Owner(i))))
        {
            await consul.DeregisterAsync(orphan, cancellationToken);
            removed++;
        }
        var failed = 0;
        foreach (var release in current.Values.Where(r => !deploying.Contains(r.Service)))
        {
            consul.Saw(release.Service, managed.Where(i => Owner(i) == release.Service).Select(i => i.ServiceName));
            try
            {
                await traffic.ReconcileAsync(consul, release, cancellationToken);
            }
            catch (Core.Common.ControlPanelException ex)
            {
                failed++;
                logger.LogWarning("Consul: could not bring {Service} in line: {Reason}", release.Service, ex.Message);
            }
        }
        Interlocked.Increment(ref _passes);
        logger.LogInformation("Consul reconciled: {Services} service(s) in line, {Failed} could not be, {Removed} orphaned registration(s) removed, {Deploying} left to their deployments",
            current.Count - failed - current.Keys.Count(deploying.Contains), failed, removed, deploying.Count);
    }

    private static string Owner(CatalogServiceInstance instance) => instance.Meta[ConsulReplicaRegistration.ServiceMeta];
}
