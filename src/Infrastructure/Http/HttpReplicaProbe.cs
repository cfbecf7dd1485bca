using ControlPanel.Core.Fleet;
using ControlPanel.Core.Releases;
using ControlPanel.Infrastructure.Sockets;

namespace ControlPanel.Infrastructure.Http;

/// <summary>
/// Probes replicas from the panel's side, at the replica's address (<see cref="ReplicaAddress"/>). Redirects are not
/// followed: a 3xx is already an answer, as it is to Kubernetes' HTTP probes. Each probe opens its own connection, so a
/// replica that stopped accepting new ones is not reported healthy over an old one.
/// </summary>
public sealed class HttpReplicaProbe : IHttpProbe, IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { Timeout = Timeout.InfiniteTimeSpan };

    public async Task<ProbeResult> ProbeAsync(NodeDefinition node, int port, string path, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var query = path.IndexOf('?', StringComparison.Ordinal);
        var url = new UriBuilder(Uri.UriSchemeHttp, ReplicaAddress.Host(node), port, query < 0 ? path : path[..query]) { Query = query < 0 ? "" : path[(query + 1)..] }.Uri;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.ConnectionClose = true;
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            var code = (int)response.StatusCode;
            return new ProbeResult(code is >= 200 and < 400, $"GET {url} answered {code} {response.ReasonPhrase}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ProbeResult(false, $"GET {url} did not answer within {timeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException ex)
        {
            return new ProbeResult(false, $"GET {url} failed: {ex.Message}");
        }
    }

    public void Dispose() => _http.Dispose();
}
