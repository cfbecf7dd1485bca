namespace ControlPanel.Core.Fleet;

/// <summary>The containers view's filters; every set field must match.</summary>
public sealed record ContainerFilter
{
    /// <summary>Case-insensitive text found in name, id, image, node or status.</summary>
    public string? Text { get; init; }
    public string? Node { get; init; }
    public ContainerState? State { get; init; }
    /// <summary>"key" (label present) or "key=value".</summary>
    public string? Label { get; init; }

    public static ContainerFilter All { get; } = new();

    public bool Matches(ContainerSummary c)
    {
        if (Node is { Length: > 0 } && !string.Equals(c.Node, Node, StringComparison.Ordinal)) return false;
        if (State is { } state && c.State != state) return false;
        if (Label is { Length: > 0 } && !MatchesLabel(c.Labels, Label)) return false;
        if (Text is { Length: > 0 } text)
        {
            return Contains(c.Name, text) || c.Id.StartsWith(text, StringComparison.OrdinalIgnoreCase)
                || Contains(c.Image, text) || Contains(c.Node, text) || Contains(c.Status, text);
        }
        return true;
    }

    private static bool Contains(string value, string text) => value.Contains(text, StringComparison.OrdinalIgnoreCase);

    private static bool MatchesLabel(IReadOnlyDictionary<string, string> labels, string label)
    {
        var eq = label.IndexOf('=');
        if (eq < 0) return labels.ContainsKey(label);
        return labels.TryGetValue(label[..eq], out var value) && value == label[(eq + 1)..];
    }
}
