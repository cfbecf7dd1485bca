using System.Net.Http.Json;
using ControlPanel.TestSupport.Consul;

namespace ControlPanel.Bench;

/// <summary>
/// Hosts that join by themselves, as the README's machine-image recipe makes them: each has its own Consul agent (an
/// agent of the stand-in on its own port) and registers a <c>docker</c> service with it, its engine in the meta
/// <c>docker_endpoint</c>. Their engines are the lab's real ones, several simulated hosts to one engine.
/// </summary>
public sealed class SimulatedNodes(ConsulStandIn consul, IReadOnlyList<string> engines) : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly Dictionary<string, Uri> _agents = new(StringComparer.Ordinal);

    public static string Name(int i) => $"sim{i:00}";

    /// <summary>The lab engine host <paramref name="i"/> advertises.</summary>
    public string EngineOf(int i) => engines[(i - 1) % engines.Count];

    /// <summary>Host <paramref name="i"/>'s own agent, where the panel registers the replicas it runs there.</summary>
    public Uri AgentOf(int i) => _agents[Name(i)];

    /// <summary>Starts every host's agent up front, so that an agent's start is no part of a measured join.</summary>
    public async Task StartAgentsAsync(int count)
    {
        for (var i = 1; i <= count; i++) _agents[Name(i)] = await consul.AddAgentAsync(Name(i));
    }

    /// <summary>Registers host <paramref name="i"/>'s <c>docker</c> service with its agent; returns when the request was sent.</summary>
    public async Task<DateTimeOffset> RegisterAsync(int i)
    {
        var name = Name(i);
        var service = new
        {
            ID = "docker",
            Name = "docker",
            Address = "127.0.0.1",
            Port = 2376,
            Meta = new Dictionary<string, string>
            {
                ["docker_endpoint"] = EngineOf(i),
                ["label_rack"] = $"r{i % 5}",
            },
        };
        var sent = DateTimeOffset.UtcNow;
        using var response = await _http.PutAsJsonAsync(new Uri(_agents[name], "/v1/agent/service/register"), service);
        response.EnsureSuccessStatusCode();
        return sent;
    }

    public void Dispose() => _http.Dispose();
}
