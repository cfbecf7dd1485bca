using System.Security.Cryptography;
using System.Text;

namespace ControlPanel.Core.Pipelines.Push;

/// <summary>
/// Who sent a delivery and whether its signature holds, by each git host's own scheme. Headers as documented by
/// the hosts: GitHub "Validating webhook deliveries" (X-Hub-Signature-256: sha256=&lt;hex HMAC-SHA256 of the raw
/// body&gt;; X-GitHub-Event, X-GitHub-Delivery); Gitea "Webhooks" (X-Gitea-Event, X-Gitea-Delivery, and for
/// compatibility also X-GitHub-Event/-Delivery and X-Hub-Signature-256, older versions only X-Gitea-Signature:
/// &lt;hex&gt;); GitLab "Webhooks" (X-Gitlab-Token: the secret itself, X-Gitlab-Event, X-Gitlab-Event-UUID).
/// </summary>
public static class PushVerification
{
    /// <summary>The request headers the verification reads; the endpoint copies exactly these.</summary>
    public static readonly IReadOnlyList<string> Headers =
    [
        "X-GitHub-Event", "X-GitHub-Delivery", "X-Hub-Signature-256",
        "X-Gitea-Event", "X-Gitea-Delivery", "X-Gitea-Signature",
        "X-Gitlab-Event", "X-Gitlab-Event-UUID", "X-Gitlab-Token",
    ];

    /// <summary>
    /// The provider and its event name. Gitea also sends X-GitHub-Event, so its own header decides first.
    /// Null: no known event header (not a git host's webhook).
    /// </summary>
    public static (string Provider, string Event)? Identify(IReadOnlyDictionary<string, string> headers)
    {
        if (Header(headers, "X-Gitea-Event") is { } gitea) return (PushProviders.Gitea, gitea);
        if (Header(headers, "X-Gitlab-Event") is { } gitlab) return (PushProviders.GitLab, gitlab);
        if (Header(headers, "X-GitHub-Event") is { } github) return (PushProviders.GitHub, github);
        return null;
    }

    /// <summary>The provider's delivery id; null when the request carries none.</summary>
    public static string? DeliveryId(string provider, IReadOnlyDictionary<string, string> headers) => provider switch
    {
        PushProviders.Gitea => Header(headers, "X-Gitea-Delivery") ?? Header(headers, "X-GitHub-Delivery"),
        PushProviders.GitLab => Header(headers, "X-Gitlab-Event-UUID"),
        _ => Header(headers, "X-GitHub-Delivery"),
    };

    /// <summary>
    /// Whether the request carries the provider's signature (or GitLab's token) at all: one without can be refused
    /// before its body is read.
    /// </summary>
    public static bool HasCredential(string provider, IReadOnlyDictionary<string, string> headers) => provider switch
    {
        PushProviders.GitLab => Header(headers, "X-Gitlab-Token") is not null,
        PushProviders.Gitea => Header(headers, "X-Hub-Signature-256") is not null || Header(headers, "X-Gitea-Signature") is not null,
        _ => Header(headers, "X-Hub-Signature-256") is not null,
    };

    /// <summary>Whether the request is signed with <paramref name="secret"/>; every comparison takes constant time.</summary>
    public static bool IsSigned(string provider, IReadOnlyDictionary<string, string> headers, ReadOnlySpan<byte> body, string secret)
    {
        if (provider == PushProviders.GitLab)
            return Header(headers, "X-Gitlab-Token") is { } token
                && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes(secret));
        var expected = Encoding.ASCII.GetBytes(Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body)));
        if (Header(headers, "X-Hub-Signature-256") is { } signature)
            return signature.StartsWith("sha256=", StringComparison.Ordinal)
                && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(signature["sha256=".Length..].ToLowerInvariant()), expected);
        return provider == PushProviders.Gitea && Header(headers, "X-Gitea-Signature") is { } bare
            && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(bare.ToLowerInvariant()), expected);
    }

    /// <summary>The value GitHub would send in X-Hub-Signature-256 for this body (for tests and the README's example).</summary>
    public static string GitHubSignature(string secret, ReadOnlySpan<byte> body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    /// <summary>Whether the event is a push of branches or tags (other events are logged and ignored).</summary>
    public static bool IsPush(string provider, string eventName) => provider switch
    {
        PushProviders.GitLab => eventName is "Push Hook" or "Tag Push Hook",
        _ => eventName == "push",
    };

    /// <summary>GitHub's ping, sent once when a webhook is added: answered, nothing else.</summary>
    public static bool IsPing(string provider, string eventName) => provider == PushProviders.GitHub && eventName == "ping";

    private static string? Header(IReadOnlyDictionary<string, string> headers, string name) =>
        headers.TryGetValue(name, out var value) && value.Trim() is { Length: > 0 } trimmed ? trimmed : null;
}
