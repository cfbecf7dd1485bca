using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using ControlPanel.TestSupport;

namespace ControlPanel.Web.Tests;

/// <summary>A SignalR client to one of the app's hubs through the in-memory test server, as a token holder.</summary>
internal static class TestHubs
{
    public static async Task<HubConnection> ConnectAsync(PanelFactory factory, string path, string? token)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(factory.Server.BaseAddress, path), o =>
            {
                o.HttpMessageHandlerFactory = _ => factory.Server.CreateHandler();
                o.Transports = HttpTransportType.LongPolling; // the test server has no real sockets
                if (token is not null) o.AccessTokenProvider = () => Task.FromResult<string?>(token);
            })
            .Build();
        await connection.StartAsync();
        return connection;
    }
}
