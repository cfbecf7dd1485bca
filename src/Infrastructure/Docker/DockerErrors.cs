using System.Net.Sockets;
using System.Text.Json;
using ControlPanel.Core.Common;
using Docker.DotNet;

namespace ControlPanel.Infrastructure.Docker;

/// <summary>Turns Docker.DotNet and transport exceptions into the Core errors pages and API understand.</summary>
internal static class DockerErrors
{
    public static async Task<T> Call<T>(string node, string? container, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception ex) when (Translate(node, container, ex) is { } translated)
        {
            throw translated;
        }
    }

    public static Task Call(string node, string? container, Func<Task> call) =>
        Call<bool>(node, container, async () => { await call(); return true; });

    public static Exception? Translate(string node, string? container, Exception ex) => ex switch
    {
        ControlPanelException or OperationCanceledException => null,
        DockerContainerNotFoundException when container is not null => new ContainerNotFoundException(node, container),
        DockerApiException api => new EngineRefusedException(node, EngineMessage(api), api),
        // Docker.DotNet's plain-TCP transport reports a refused connection wrapped in an AggregateException.
        AggregateException { InnerExceptions: [var only] } => Translate(node, container, only),
        // A refused or untrusted certificate is a connection that did not happen: fail closed, say why.
        System.Security.Authentication.AuthenticationException
            => new EngineUnavailableException(node, "TLS handshake failed: " + Describe(ex), ex),
        HttpRequestException or SocketException or IOException or TimeoutException
            => new EngineUnavailableException(node, Describe(ex), ex),
        _ => null,
    };

    /// <summary>The engine's own words: its JSON body is {"message": "..."}.</summary>
    private static string EngineMessage(DockerApiException api)
    {
        try
        {
            using var doc = JsonDocument.Parse(api.ResponseBody ?? "");
            if (doc.RootElement.TryGetProperty("message", out var m) && m.GetString() is { Length: > 0 } text) return text;
        }
        catch (JsonException)
        {
            // Not JSON: fall through to the raw body.
        }
        return string.IsNullOrWhiteSpace(api.ResponseBody) ? $"HTTP {(int)api.StatusCode}" : api.ResponseBody.Trim();
    }

    private static string Describe(Exception ex)
    {
        var root = ex;
        while (root.InnerException is not null) root = root.InnerException;
        return root is SocketException s ? $"{s.SocketErrorCode}: {s.Message}" : root.Message;
    }
}
