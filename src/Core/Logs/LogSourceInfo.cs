using ControlPanel.Core.Releases;

namespace ControlPanel.Core.Logs;

/// <summary>
/// Where shown lines come from, as a viewer labels them: "node1/web-0" (node/service-slot) for a replica, from the
/// labels the panel puts on it, else "node1/name". <see cref="Colour"/> picks one of <see cref="Colours"/> styles.
/// </summary>
/// <param name="ContainerId">The full id: lines carry it.</param>
/// <param name="Title">The longer description shown on hover: the container's name and, for a replica, its release.</param>
public sealed record LogSourceInfo(string Node, string ContainerId, string Label, string Title, int Colour)
{
    public const int Colours = 8;
    private const int MaxNameLength = 24;

    public bool Holds(LogLine line) => line.Node == Node && line.ContainerId == ContainerId;

    /// <summary>The label of a container from its name and labels (replica labels when the panel deployed it).</summary>
    public static (string Label, string Title) Describe(string node, string name, IReadOnlyDictionary<string, string>? labels)
    {
        name = name.TrimStart('/');
        if (labels is not null && labels.TryGetValue(ReplicaLabels.Service, out var service) && labels.TryGetValue(ReplicaLabels.Slot, out var slot))
        {
            var release = labels.TryGetValue(ReplicaLabels.Release, out var r) ? $" · release {r}" : "";
            return ($"{node}/{service}-{slot}", $"{name}{release}");
        }
        // Cut in the middle: names that differ only at their end (web-check-01, web-check-02) keep apart, and so do their colours.
        const int head = MaxNameLength / 2 - 1, tail = MaxNameLength / 2;
        return ($"{node}/{(name.Length > MaxNameLength ? name[..head] + "…" + name[^tail..] : name)}", name);
    }
}

/// <summary>
/// Hands out colours by label in the order sources appear, so two replicas on one node differ and a replica that
/// replaces another in the same slot keeps its colour across a deployment.
/// </summary>
public sealed class LogSourceColours
{
    private readonly Dictionary<string, int> _byLabel = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public int For(string label)
    {
        lock (_gate)
        {
            if (_byLabel.TryGetValue(label, out var colour)) return colour;
            return _byLabel[label] = _byLabel.Count % LogSourceInfo.Colours;
        }
    }
}
