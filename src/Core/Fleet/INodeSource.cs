namespace ControlPanel.Core.Fleet;

/// <summary>
/// One place nodes come from (configuration, the database, Consul's catalog). <see cref="NodeDirectory"/> merges
/// them; a source that changes its list raises <see cref="Changed"/> so watchers follow without polling.
/// </summary>
public interface INodeSource
{
    /// <summary>Which source this is; the first in <see cref="NodeOrigin"/>'s order wins a name clash.</summary>
    NodeOrigin Origin { get; }

    /// <summary>The nodes this source knows now (its last good answer while it fails).</summary>
    IReadOnlyList<NodeDefinition> GetNodes();

    /// <summary>Why the list may be stale or incomplete (Consul unreachable, a token refused); null when fine.</summary>
    string? Problem { get; }

    event Action? Changed;

    /// <summary>Completes once the source has its first list (or gave up on it); configuration and the database have it at once.</summary>
    Task Ready => Task.CompletedTask;
}
