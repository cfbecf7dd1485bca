using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Net.Http.Headers;
using ControlPanel.TestSupport;
using ControlPanel.TestSupport.Consul;

namespace ControlPanel.Bench;

/// <summary>
/// Replica registration latency: a release of the lab's web image on the first hosts (one per lab engine, each with its
/// own agent), and per replica the time from its healthy step's end to its rotate-in step's end, which is when the
/// panel's registration with the host's agent was answered. The baseline is what Registrator does once it has seen
/// the container: one PUT of the same registration to the same agent, timed here for each replica.
/// </summary>
public static class RegistrationPhase
{
    /// <summary>
    /// Runs with a catalog and a panel of its own: one simulated host per lab engine, so no engine is seen under two
    /// node names (the join phase's 50 hosts share 3 engines, and each would list, and register, the others' replicas).
    /// </summary>
    public static async Task RunAsync(IReadOnlyList<string> engines, int replicasPerNode)
    {
        await using var consul = await ConsulStandIn.StartAsync(node: "consul-server");
        using var simulated = new SimulatedNodes(consul, engines);
        await simulated.StartAgentsAsync(engines.Count);
        var hosts = Enumerable.Range(1, engines.Count).Select(i => (Name: SimulatedNodes.Name(i), Agent: simulated.AgentOf(i))).ToList();
        var settings = new Dictionary<string, string>
        {
            ["ControlPanel__Consul__Address"] = consul.Address.ToString().TrimEnd('/'),
            ["ControlPanel__Consul__AllowUnixEndpoints"] = "true",
        };
        foreach (var (name, agent) in hosts) settings[$"ControlPanel__Consul__Agents__{name}"] = agent.ToString();
        await using var panel = new PanelProcess(settings, withLabNodes: false);
        await panel.RunCommandAsync("correct horse battery staple", "admin", "create", "--user", "lead", "--password-stdin", "--role", "Admin");
        var token = await panel.RunCommandAsync(null, "token", "create", "--user", "lead");
        await panel.StartAsync();
        for (var i = 1; i <= engines.Count; i++) await simulated.RegisterAsync(i);
        using var admin = new HttpClient { BaseAddress = panel.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        await LabContainers.WaitUntilAsync(async () => (await admin.GetFromJsonAsync<JsonElement>("/api/nodes")).GetArrayLength() == engines.Count,
            TimeSpan.FromSeconds(30), "the registration hosts to join");

        var service = "bench-reg-" + Guid.NewGuid().ToString("N")[..6];
        var ports = LabContainers.NextPorts(hosts.Count * replicasPerNode * 2);
        (await admin.PutAsJsonAsync("/api/registries/lab", new { url = $"http://{Lab.Current.Registry}" })).EnsureSuccessStatusCode();
        (await admin.PutAsJsonAsync($"/api/services/{service}", new
        {
            registry = "lab", imageRepository = "lab/web",
            runtime = new
            {
                nodes = hosts.Select(h => h.Name).ToArray(), replicasPerNode,
                ports = new[] { new { name = "PORT", rangeStart = ports, rangeEnd = ports + hosts.Count * replicasPerNode * 2 - 1 } },
                update = new { monitorSeconds = 0, parallelism = replicasPerNode },
            },
        })).EnsureSuccessStatusCode();
        var release = await (await admin.PostAsJsonAsync($"/api/services/{service}/releases", new { tag = "1" })).Content.ReadFromJsonAsync<JsonElement>();
        var started = await (await admin.PostAsJsonAsync($"/api/services/{service}/deployments", new { release = release.GetProperty("number").GetInt32() })).Content.ReadFromJsonAsync<JsonElement>();
        var id = started.GetProperty("id").GetGuid();
        JsonElement deployment = default;
        await LabContainers.WaitUntilAsync(async () => (deployment = await admin.GetFromJsonAsync<JsonElement>($"/api/deployments/{id}")).GetProperty("status").GetString() is not ("Running" or "Pending"),
            TimeSpan.FromSeconds(180), "the registration deployment");
        Console.WriteLine($"replica registration: {hosts.Count * replicasPerNode} replicas of lab/web on {string.Join(", ", hosts.Select(h => h.Name))}: deployment {deployment.GetProperty("status").GetString()} {deployment.GetProperty("reason")}");

        var steps = deployment.GetProperty("steps").EnumerateArray().ToList();
        var panelMs = new List<double>();
        foreach (var rotateIn in steps.Where(s => s.GetProperty("action").GetString() == "rotate-in" && !s.GetProperty("failed").GetBoolean()))
        {
            var container = rotateIn.GetProperty("containerId").GetString();
            var healthy = steps.Single(s => s.GetProperty("action").GetString() == "healthy" && s.GetProperty("containerId").GetString() == container);
            panelMs.Add((End(rotateIn) - End(healthy)).TotalMilliseconds);
        }

        var baseline = new List<double>();
        using var http = new HttpClient();
        foreach (var (name, agent) in hosts)
            for (var i = 0; i < replicasPerNode; i++)
            {
                var registration = new
                {
                    ID = $"registrator-{service}-{name}-{i}", Name = service + "-registrator", Address = "127.0.0.1", Port = ports + i,
                    Tags = Array.Empty<string>(), Meta = new Dictionary<string, string> { ["release"] = "1" },
                    Check = new { CheckID = $"service:registrator-{service}-{name}-{i}", Name = "health", TTL = "30s", Status = "passing", DeregisterCriticalServiceAfter = "30m" },
                };
                var watch = Stopwatch.StartNew();
                (await http.PutAsJsonAsync(new Uri(agent, "/v1/agent/service/register?replace-existing-checks=true"), registration)).EnsureSuccessStatusCode();
                baseline.Add(watch.Elapsed.TotalMilliseconds);
                await http.PutAsync(new Uri(agent, $"/v1/agent/service/deregister/registrator-{service}-{name}-{i}"), null);
            }

        var registered = panelMs.Count;
        var panelLatencies = Samples("panel: healthy → registered", panelMs);
        var baselineLatencies = Samples("baseline: one registration PUT", baseline);
        Console.WriteLine($"  {registered} rotate-in steps (registrations) recorded");
        Console.WriteLine(panelLatencies.Line());
        Console.WriteLine(baselineLatencies.Line());
        Console.WriteLine(Latencies.Ratio(panelLatencies, baselineLatencies));

        await using var lab = new LabContainers();
        foreach (var (node, c) in await lab.ServiceReplicasAsync(service))
            await lab.Client(Lab.SharedNodes.Single(n => n.Name == node)).Containers.RemoveContainerAsync(c.ID, new Docker.DotNet.Models.ContainerRemoveParameters { Force = true });
    }

    private static DateTimeOffset End(JsonElement step) =>
        step.GetProperty("at").GetDateTimeOffset() + (step.TryGetProperty("duration", out var d) && d.ValueKind == JsonValueKind.String ? TimeSpan.Parse(d.GetString()!, System.Globalization.CultureInfo.InvariantCulture) : TimeSpan.Zero);

    private static Latencies Samples(string observer, List<double> ms)
    {
        var start = DateTimeOffset.UnixEpoch;
        var keys = Enumerable.Range(0, ms.Count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        return new Latencies(observer, keys.ToDictionary(k => k, _ => start), keys.Select((k, i) => (k, start + TimeSpan.FromMilliseconds(ms[i]))).ToDictionary(x => x.k, x => x.Item2));
    }
}
