using System.Net;
using System.Security.Authentication;
using ControlPanel.Core.Discovery;

namespace ControlPanel.Infrastructure.Consul;

/// <summary>
/// The one place that turns what goes wrong talking to Consul into Core's exceptions. Messages carry the address and
/// Consul's own words; the token is scrubbed from anything Consul sends back, in case an answer ever echoes it.
/// </summary>
internal static class ConsulErrors
{
    private const int MaxMessage = 300;

    public static ConsulException Unreachable(string address, Exception ex, bool timedOut) => timedOut
        ? new ConsulUnavailableException(address, "no answer in time")
        : new ConsulUnavailableException(address, Reason(ex), ex);

    public static async Task<ConsulException> FromResponseAsync(string address, string operation, HttpResponseMessage response, string? token, CancellationToken cancellationToken)
    {
        var body = (await response.Content.ReadAsStringAsync(cancellationToken)).Trim();
        if (!string.IsNullOrEmpty(token)) body = body.Replace(token, "[token]", StringComparison.Ordinal);
        if (body.Length > MaxMessage) body = body[..MaxMessage] + "…";
        if (body.Length == 0) body = response.ReasonPhrase ?? "no message";
        return response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized
            ? new ConsulAccessDeniedException(address, operation, body)
            : new ConsulRefusedException(address, operation, (int)response.StatusCode, body);
    }

    // HttpRequestException's messages name the host and port and the socket error; inner exceptions say "why" for TLS.
    private static string Reason(Exception ex) => ex switch
    {
        HttpRequestException { InnerException: AuthenticationException tls } => $"the TLS handshake failed ({tls.Message}); check ControlPanel:Consul:CaFile and the client certificate",
        HttpRequestException { InnerException: { } inner } http => $"{http.Message} ({inner.Message})",
        _ => ex.Message,
    };
}
