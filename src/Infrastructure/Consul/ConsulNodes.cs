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

    /// <summary>Answers so far (good or failed); lets a benchmark count queries.</summary>
    public long Answers => Interlocked.Read(ref _answers);

    private long _answers;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var service = settings.NodeService;
        try
        {
            await foreach (var snapshot in ConsulWatch.FollowAsync((index, wait, ct) => catalog.HealthAsync(service, false, index, wait, ct), WatchPacing.Default, time, stoppingToken))
            {
                Interlocked.Increment(ref _answers);
                if (snapshot.Error is { } error)
                {
                    if (_problem != error) logger.LogWarning("Consul's node list is stale: {Reason}", error);
                    _problem = $"Nodes from Consul may be stale: {error}";
                }
                else
                {
                    if (_problem is not null) logger.LogInformation("Consul answers again; its node list is current");
                    _problem = null;
                    _nodes = ConsulNodeTranslation.Translate(snapshot.Value ?? [], _nodes, settings);
                }
                Changed?.Invoke();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The panel is stopping.
        }
    }
}
