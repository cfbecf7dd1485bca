using System.Net.Sockets;

namespace ControlPanel.TestSupport.Consul;

/// <summary>
/// What an agent does between requests: runs HTTP and TCP checks at their interval (2xx passing, 429 warning, anything
/// else critical; a TCP connect passing), marks TTL checks critical when nobody reported in time, and deregisters
/// services whose check stayed critical past <c>DeregisterCriticalServiceAfter</c>. Targets are loopback in the lab.
/// </summary>
internal sealed class ConsulCheckRunner : IAsyncDisposable
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);
    private readonly ConsulState _state;
    private readonly TimeProvider _time;
    private readonly HttpClient _http = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public ConsulCheckRunner(ConsulState state, TimeProvider time)
    {
        _state = state;
        _time = time;
        _loop = LoopAsync();
    }

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(Tick, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                var now = _time.GetUtcNow();
                _state.ExpireAndReap(now);
                foreach (var check in _state.ChecksToRun(now)) _ = RunAsync(check);
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
    }

    private async Task RunAsync(CheckEntry check)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        timeout.CancelAfter(check.Timeout);
        var (status, output) = check.Http is { } url ? await HttpAsync(url, check.HttpMethod, timeout.Token) : await TcpAsync(check.Tcp!, timeout.Token);
        if (!_stop.IsCancellationRequested) _state.Ran(check, status, output);
    }

    private async Task<(string, string)> HttpAsync(string url, string method, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _http.SendAsync(new HttpRequestMessage(new HttpMethod(method), url), cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var code = (int)response.StatusCode;
            var output = $"HTTP {method} {url}: {code} {response.ReasonPhrase} Output: {body}";
            return (code is >= 200 and < 300 ? CheckStatus.Passing : code == 429 ? CheckStatus.Warning : CheckStatus.Critical, output);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or ObjectDisposedException)
        {
            return (CheckStatus.Critical, $"Get \"{url}\": {ex.Message}");
        }
    }

    private static async Task<(string, string)> TcpAsync(string address, CancellationToken cancellationToken)
    {
        var colon = address.LastIndexOf(':');
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(address[..colon], int.Parse(address[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
            return (CheckStatus.Passing, $"TCP connect {address}: Success");
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or FormatException or ArgumentOutOfRangeException)
        {
            return (CheckStatus.Critical, $"dial tcp {address}: {ex.Message}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _http.Dispose();
        _stop.Dispose();
    }
}
