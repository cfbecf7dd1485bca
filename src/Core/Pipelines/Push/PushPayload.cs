using System.Text.Json;

namespace ControlPanel.Core.Pipelines.Push;

/// <summary>The fields of a push payload the panel uses: the ref, the new head and who pushed.</summary>
public sealed record PushPayload(string Ref, string After, string Pusher)
{
    /// <summary>The SHA git hosts send as <c>after</c> when the push deleted the ref.</summary>
    public bool DeletesRef => After.Length > 0 && After.All(c => c == '0');

    /// <summary>
    /// Reads <c>ref</c>, <c>after</c> and the pusher: GitHub <c>pusher.name</c>, Gitea <c>pusher.login</c> or
    /// <c>pusher.username</c>, GitLab <c>user_username</c> (its <c>user_name</c> is a display name).
    /// </summary>
    /// <exception cref="Common.InvalidRequestException">The body is not JSON or lacks <c>ref</c> or <c>after</c>.</exception>
    public static PushPayload Parse(string provider, ReadOnlySpan<byte> body)
    {
        try
        {
            using var json = JsonDocument.Parse(body.ToArray());
            var root = json.RootElement;
            var @ref = Text(root, "ref") ?? throw new Common.InvalidRequestException("ref", "The push payload has no 'ref'.");
            var after = Text(root, "after") ?? throw new Common.InvalidRequestException("after", "The push payload has no 'after' commit.");
            if (after.Length is not (40 or 64) || !after.All(Uri.IsHexDigit))
                throw new Common.InvalidRequestException("after", $"The push payload's 'after' is not a commit SHA: '{Clip(after)}'.");
            var pusher = provider switch
            {
                PushProviders.GitLab => Text(root, "user_username") ?? Text(root, "user_name"),
                PushProviders.Gitea => Text(root, "pusher", "login") ?? Text(root, "pusher", "username"),
                _ => Text(root, "pusher", "name"),
            };
            return new PushPayload(Clip(@ref), after.ToLowerInvariant(), Clip(pusher ?? "unknown pusher"));
        }
        catch (JsonException ex)
        {
            throw new Common.InvalidRequestException("body", $"The push payload is not JSON: {ex.Message}");
        }
    }

    private static string? Text(JsonElement element, params string[] path)
    {
        foreach (var name in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element)) return null;
        }
        return element.ValueKind == JsonValueKind.String && element.GetString() is { Length: > 0 } s ? s : null;
    }

    private static string Clip(string text) => text.Length > 200 ? text[..200] : text;
}
