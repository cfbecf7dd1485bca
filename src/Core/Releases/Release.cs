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

/// <summary>One difference between two releases: the field in words, before and after as shown (secret values masked; null: not set).</summary>
public sealed record ReleaseChange(string Field, string? Before, string? After);

public static class ReleaseDiff
{
    /// <summary>Image and configuration differences from <paramref name="from"/> (null: nothing runs yet) to <paramref name="to"/>.</summary>
    public static IReadOnlyList<ReleaseChange> Between(Release? from, Release to)
    {
        var changes = new List<ReleaseChange>();
        if (from?.ImageReference != to.ImageReference) changes.Add(new ReleaseChange("image", from?.ImageReference, to.ImageReference));
        changes.AddRange(RuntimeDiff.Between(from?.Spec, to.Spec));
        return changes;
    }
}
