using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using ControlPanel.Core.Timeline;

namespace ControlPanel.Core.Webhooks;

/// <summary>
/// The body and headers of a delivery. The body is signed as sent: <c>X-ControlPanel-Signature: sha256=&lt;hex&gt;</c>
/// is HMAC-SHA256 over the raw body bytes with the webhook's secret; <c>X-ControlPanel-Timestamp</c> (Unix seconds) is
/// also the JSON body's <c>sentAt</c>, so a receiver can refuse old replays of a signed body.
/// </summary>
public static class WebhookPayloads
{
    public const string SignatureHeader = "X-ControlPanel-Signature";
    public const string TimestampHeader = "X-ControlPanel-Timestamp";
    public const string EventHeader = "X-ControlPanel-Event";
    public const string DeliveryHeader = "X-ControlPanel-Delivery";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    public static string Body(WebhookFormat format, FleetEvent entry, Guid deliveryId, DateTimeOffset sentAt, bool test) => format switch
    {
        WebhookFormat.Slack => JsonSerializer.Serialize(new { text = Text(entry, test) }, Json),
        _ => JsonSerializer.Serialize(new
        {
            delivery = deliveryId,
            sentAt = sentAt.ToUnixTimeSeconds(),
            test,
            @event = new
            {
                entry.Kind, entry.Summary, entry.At, entry.LastAt, entry.Count, entry.Node, entry.ContainerId, entry.ContainerName,
                entry.Service, entry.ExitCode, entry.Actor, entry.DeploymentId, entry.BuildId, entry.Release,
            },
        }, Json),
    };

    public static Dictionary<string, string> Headers(string body, string? secret, FleetEventKind kind, Guid deliveryId, DateTimeOffset sentAt)
    {
        var headers = new Dictionary<string, string>
        {
            [TimestampHeader] = sentAt.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            [EventHeader] = kind.ToString(),
            [DeliveryHeader] = deliveryId.ToString(),
        };
        if (!string.IsNullOrEmpty(secret)) headers[SignatureHeader] = Sign(body, secret);
        return headers;
    }

    /// <summary><c>sha256=</c> and the lowercase hex HMAC-SHA256 of the UTF-8 body under the secret.</summary>
    public static string Sign(string body, string secret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));

    private static string Text(FleetEvent e, bool test)
    {
        var where = string.Join(", ", new[]
        {
            e.Service is null ? null : $"service {e.Service}",
            e.ContainerName is null ? null : $"container {e.ContainerName}",
            e.Node is null ? null : $"node {e.Node}",
        }.OfType<string>());
        var count = e.Count > 1 ? $" ({e.Count} times)" : "";
        return $"{(test ? "[test] " : "")}ControlPanel: {WebhookKinds.Describe(e.Kind)}{count}: {e.Summary}{(where.Length > 0 ? $" — {where}" : "")}";
    }
}
