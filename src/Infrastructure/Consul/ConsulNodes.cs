using ControlPanel.Core.Discovery;
using ControlPanel.Core.Fleet;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ControlPanel.Infrastructure.Consul;

/// <summary>
/// Nodes that join by themselves: follows the health of <see cref="ConsulOptions.NodeService"/> with a blocking query
/// and turns each instance into a node (see <see cref="ConsulNodeTranslation"/>). A node whose checks turn critical
/// is shown Critical, one that leaves the catalog is kept as Left; neither takes new replicas. While Consul fails,
/// the last answer stays and <see cref="Problem"/> says why.
/// </summary>
public sealed class ConsulNodes(IConsulCatalog catalog, IOptions<ConsulOptions> options, TimeProvider time, ILogger<ConsulNodes> logger)
    : BackgroundService, INodeSource
{
    private volatile IReadOnlyList<NodeDefinition> _nodes = [];
    private volatile string? _problem;

    public NodeOrigin Origin => NodeOrigin.Consul;

    public IReadOnlyList<NodeDefinition> GetNodes() => _nodes;

    public string? Problem => _problem;

    public event Action? Changed;

    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes on Consul's first answer (or first failure): until then the directory lacks Consul's nodes.</summary>
    public Task Ready => _ready.Task;

    /// <summary>How long a node that left stays listed (as Left), so people see where it went before it disappears.</summary>
    public static readonly TimeSpan LeftRetention = TimeSpan.FromMinutes(15);

    private readonly Dictionary<string, DateTimeOffset> _leftAt = new(StringComparer.Ordinal);

    private IReadOnlyList<NodeDefinition> ForgetLongGone(IReadOnlyList<NodeDefinition> nodes)
    {
        var now = time.GetUtcNow();
        foreach (var node in nodes)
            if (node.Availability == NodeAvailability.Left) _leftAt.TryAdd(node.Name, now);
            else _leftAt.Remove(node.Name);
        var expired = _leftAt.Where(l => now - l.Value > LeftRetention).Select(l => l.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var name in expired) _leftAt.Remove(name);
        return expired.Count == 0 ? nodes : nodes.Where(n => !expired.Contains(n.Name)).ToList();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var service = settings.NodeService;
        try
        {
            // The filter flag travels with the value, so a partial answer is told from a catalog the hosts really left.
            async Task<Indexed<(IReadOnlyList<ServiceHealth> Entries, bool Filtered)>> QueryAsync(ulong index, TimeSpan wait, CancellationToken ct)
            {
                var answer = await catalog.HealthAsync(service, false, index, wait, ct);
                return new((answer.Value, answer.FilteredByAcls), answer.Index, answer.Changed);
            }
            await foreach (var snapshot in ConsulWatch.FollowAsync(QueryAsync, WatchPacing.Default, time, stoppingToken))
            {
                if (snapshot.Error is { } error)
                {
                    if (_problem != error) logger.LogWarning("Consul's node list is stale: {Reason}", error);
                    _problem = $"Nodes from Consul may be stale: {error}";
                }
                else if (snapshot.Value.Filtered)
                {
                    // Hosts missing from a filtered answer may still be there: keep them as they were, and say why.
                    _problem = $"Consul's answer for '{service}' was filtered by ACLs: the panel's token may not read every node or service, so nodes may be missing. Grant it node_prefix \"\" and service \"{service}\" read.";
                    logger.LogWarning("Consul filtered the node list by ACLs; nodes it left out are kept as they were");
                    _nodes = ConsulNodeTranslation.Translate(snapshot.Value.Entries, _nodes, settings, keepMissing: true);
                }
                else
                {
                    if (_problem is not null) logger.LogInformation("Consul answers again; its node list is current");
                    _problem = null;
                    _nodes = ForgetLongGone(ConsulNodeTranslation.Translate(snapshot.Value.Entries, _nodes, settings));
                }
                _ready.TrySetResult();
                try
                {
                    Changed?.Invoke();
                }
                catch (Exception ex)
                {
                    // A subscriber's failure must not end the watch: the next answer is delivered all the same.
                    logger.LogError(ex, "A node list subscriber failed on Consul's answer");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The panel is stopping.
        }
    }
}
