using ControlPanel.Core.Fleet;

namespace ControlPanel.Core.Resources;

/// <summary>
/// The fleet's resource use: the latest reading of every running container, and history. One sampler per node
/// is shared by every viewer; <see cref="Watch"/> asks for live readings (every few seconds) while a page is open,
/// and without viewers a node is sampled only as often as history keeps.
/// </summary>
public interface IResourceUsage
{
    /// <summary>
    /// Keeps the scope's nodes sampled at the live rate until the handle is disposed. Handles are counted per node,
    /// so a hundred open pages on one node cost one sampler.
    /// </summary>
    IDisposable Watch(ResourceScope scope);

    /// <summary>Raised after each sampling round of a node, with the node's name; handlers must be quick.</summary>
    event Action<string>? Sampled;

    /// <summary>The scope's latest reading (summed for a node or a service), or null when none is known yet.</summary>
    ResourceSample? Latest(ResourceScope scope);

    /// <summary>The latest reading of every running container the samplers know, for the fleet's Top view.</summary>
    IReadOnlyList<ContainerUsage> LatestOfAll();

    /// <summary>The scope's readings over the range, oldest first; survives a panel restart for what history keeps.</summary>
    Task<IReadOnlyList<ResourceSample>> HistoryAsync(ResourceScope scope, HistoryRange range, CancellationToken cancellationToken);
}

/// <summary>A running container with its latest reading.</summary>
/// <param name="Service">The service it is a replica of, or null.</param>
public sealed record ContainerUsage(ContainerSummary Container, string? Service, ResourceSample Latest);
