using System.Net;
using System.Text;
using ControlPanel.TestSupport;

namespace ControlPanel.Bench;

/// <summary>
/// The browser's own floor on this machine: a trivial page with one row and no styles or scripts, served over loopback
/// by the bench itself with the panel's Cross-Origin-Opener-Policy (which decides whether a cold load gets a renderer
/// process of its own). Measured the same way as the panel's page, so the difference is the page's own share.
/// </summary>
public sealed class FloorPage : IAsyncDisposable
{
    private static readonly byte[] Body = Encoding.UTF8.GetBytes(
        "<!DOCTYPE html><html><head><title>floor</title></head><body><table><tr><td elementtiming=\"container-row\">node1</td></tr></table></body></html>");

    private readonly HttpListener _server = new();
    private readonly Task _serving;

    public FloorPage()
    {
        Url = $"http://127.0.0.1:{LabContainers.NextPort()}/";
        _server.Prefixes.Add(Url);
        _server.Start();
        _serving = Task.Run(ServeAsync);
    }

    public string Url { get; }

    private async Task ServeAsync()
    {
        while (_server.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _server.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
            {
                return; // stopped
            }
            try
            {
                context.Response.ContentType = "text/html; charset=utf-8";
                context.Response.Headers["Cross-Origin-Opener-Policy"] = "same-origin";
                await context.Response.OutputStream.WriteAsync(Body);
                context.Response.Close();
            }
            catch (Exception ex)
            {
                // One failed answer (the browser gave up on a request) must not stop the server for the loads after it.
                Console.Error.WriteLine($"floor page: {context.Request.Url} not answered: {ex.Message}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _server.Stop();
        await _serving;
        _server.Close();
    }
}
