using System.Text.Json;
using ControlPanel.Core.Pipelines.Push;

namespace ControlPanel.Web.Tests.Push;

/// <summary>Push deliveries as GitHub sends them: the event, a delivery id and X-Hub-Signature-256 over the exact body.</summary>
public static class GitHubDeliveries
{
    public static byte[] Push(string branchRef, string after, string pusher = "octocat") =>
        JsonSerializer.SerializeToUtf8Bytes(new { @ref = branchRef, before = new string('0', 40), after, pusher = new { name = pusher, email = "octo@example.test" } });

    public static async Task<HttpResponseMessage> SendAsync(HttpClient client, string service, byte[] body, string? secret, string deliveryId, string eventName = "push")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/hooks/push/{service}") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-GitHub-Event", eventName);
        request.Headers.Add("X-GitHub-Delivery", deliveryId);
        if (secret is not null) request.Headers.Add("X-Hub-Signature-256", PushVerification.GitHubSignature(secret, body));
        return await client.SendAsync(request);
    }
}
