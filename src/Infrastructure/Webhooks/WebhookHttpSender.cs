using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ControlPanel.Core.Webhooks;

namespace ControlPanel.Infrastructure.Webhooks;

/// <summary>
/// POSTs deliveries. The address rule is checked again on every connection, at the address actually dialled, so a
/// host name that resolved elsewhere when it was saved cannot be pointed at the panel's own host later. Redirects
/// are not followed: they would lead past that check.
/// </summary>
public sealed class WebhookHttpSender : IWebhookSender, IDisposable
{
    private static readonly HttpRequestOptionsKey<bool> AllowPrivate = new("ControlPanel.Webhooks.AllowPrivateAddress");
    private readonly HttpClient _http;

    public WebhookHttpSender()
    {
        _http = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            // Through a proxy, ConnectAsync would check the proxy's address while the proxy reaches the private one.
            UseProxy = false,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectCallback = ConnectAsync,
        }) { Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("ControlPanel-Webhooks/1");
    }

    public async Task<WebhookSendResult> SendAsync(Uri url, string body, IReadOnlyDictionary<string, string> headers, bool allowPrivateAddress,
        TimeSpan timeout, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
            request.Options.Set(AllowPrivate, allowPrivateAddress);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            return new WebhookSendResult((int)response.StatusCode, null, watch.Elapsed);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new WebhookSendResult(null, $"no answer within {timeout.TotalSeconds:0.#} s", watch.Elapsed);
        }
        catch (HttpRequestException ex)
        {
            return new WebhookSendResult(null, ex.InnerException is RefusedAddressException refused ? refused.Message : ex.Message, watch.Elapsed);
        }
    }

    private static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var allowPrivate = context.InitialRequestMessage.Options.TryGetValue(AllowPrivate, out var allowed) && allowed;
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        if (!allowPrivate && addresses.FirstOrDefault(PrivateAddresses.IsPrivate) is { } refused)
            throw new RefusedAddressException($"refused to connect to {refused}: the panel's own host or a link-local address, and the webhook does not allow private addresses");
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public void Dispose() => _http.Dispose();

    private sealed class RefusedAddressException(string message) : Exception(message);
}
