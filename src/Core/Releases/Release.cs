namespace ControlPanel.Core.Releases;

/// <summary>
/// An immutable version of a service: the image by digest (the tag was resolved when the release was made)
/// and the full runtime spec, numbered per service.
/// </summary>
public sealed record Release
{
    public required string Service { get; init; }
    public required int Number { get; init; }
    /// <summary>registry-host/repository, without tag or digest.</summary>
    public required string Image { get; init; }
    /// <summary>The tag the release was made from.</summary>
    public required string Tag { get; init; }
    public required string Digest { get; init; }
    public required RuntimeSpec Spec { get; init; }
    public required int ServiceRevision { get; init; }
    public Guid? BuildId { get; init; }
    public required string CreatedBy { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public string? Message { get; init; }

    public string ImageReference => $"{Image}@{Digest}";
}

/// <summary>One difference between two releases: what, before, after (secret values masked).</summary>
public sealed record ReleaseChange(string Field, string? Before, string? After);

public static class ReleaseDiff
{
    /// <summary>Image and configuration differences from <paramref name="from"/> (null: nothing runs yet) to <paramref name="to"/>.</summary>
    public static IReadOnlyList<ReleaseChange> Between(Release? from, Release to)
    {
        var changes = new List<ReleaseChange>();
        void Compare(string field, string? before, string? after)
        {
            if (before != after) changes.Add(new ReleaseChange(field, before, after));
        }
        Compare("image", from?.ImageReference, to.ImageReference);
        var a = from?.Spec;
        var b = to.Spec;
        Compare("replicasPerNode", a?.ReplicasPerNode.ToString(), b.ReplicasPerNode.ToString());
        Compare("nodes", a is null ? null : Placement(a), Placement(b));
        var envBefore = (a?.Environment ?? []).ToDictionary(e => e.Name);
        var envAfter = b.Environment.ToDictionary(e => e.Name);
        foreach (var name in envBefore.Keys.Union(envAfter.Keys).Order(StringComparer.Ordinal))
        {
            envBefore.TryGetValue(name, out var x);
            envAfter.TryGetValue(name, out var y);
            if (x?.Value == y?.Value && x?.Secret == y?.Secret) continue;
            changes.Add(new ReleaseChange($"environment.{name}", Show(x), Show(y)));
        }
        Compare("ports", a is null ? null : string.Join(", ", a.Ports.Select(Port)), string.Join(", ", b.Ports.Select(Port)));
        Compare("command", a?.Command is null ? null : string.Join(' ', a.Command), b.Command is null ? null : string.Join(' ', b.Command));
        Compare("stop", a is null ? null : $"{a.StopSignal} after {a.StopTimeoutSeconds} s", $"{b.StopSignal} after {b.StopTimeoutSeconds} s");
        Compare("init", a?.Init.ToString(), b.Init.ToString());
        Compare("limits", a is null ? null : Limits(a), Limits(b));
        Compare("health", a?.Health.ToString(), b.Health.ToString());
        Compare("update", a?.Update.ToString(), b.Update.ToString());
        return changes;
    }

    private static string? Show(EnvironmentValue? e) => e is null ? null : e.Secret ? Fleet.SecretMasking.Mask : e.Value;
    private static string Placement(RuntimeSpec s) => s.Nodes.Count > 0 ? string.Join(",", s.Nodes) : s.NodeLabels.Count > 0 ? string.Join(",", s.NodeLabels.Select(l => $"{l.Key}={l.Value}")) : "all nodes";
    private static string Port(PortSpec p) => p.Fixed is { } f ? $"{p.Name}={f}" : $"{p.Name}={p.RangeStart}-{p.RangeEnd}";
    private static string Limits(RuntimeSpec s) => $"memory {(s.MemoryMb is { } m ? $"{m} MB" : "unlimited")}, cpus {(s.Cpus is { } c ? c.ToString(System.Globalization.CultureInfo.InvariantCulture) : "unlimited")}";
}
