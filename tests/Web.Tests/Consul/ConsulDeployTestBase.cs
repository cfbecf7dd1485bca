using System.Globalization;
using System.Net.Http.Json;
using ControlPanel.Core.Releases;
using ControlPanel.TestSupport;
using ControlPanel.TestSupport.Consul;

namespace ControlPanel.Web.Tests.Consul;

/// <summary>
/// The lab's shared nodes, each with its own agent of the Consul stand-in (as each host runs its own), and the panel
/// configured to register replicas with them. Nodes come from configuration here; node discovery has its own tests.
/// </summary>
public abstract class ConsulDeployTestBase : DeployTestBase
{
    private readonly int _ports = LabContainers.NextPorts(8);

    protected ConsulStandIn Consul { get; private set; } = default!;

    /// <summary>The ACL token the stand-in requires (and the panel is given); null: no ACLs.</summary>
    protected virtual string? Token => null;

    /// <summary>Whether nodes also join from the catalog (the shared nodes stay configured either way).</summary>
    protected virtual bool DiscoverNodes => false;

    public override async Task InitializeAsync()
    {
        Consul = await ConsulStandIn.StartAsync(Token, node: Lab.SharedNodes[0].Name);
        foreach (var node in Lab.SharedNodes.Skip(1)) await Consul.AddAgentAsync(node.Name);
        Factory.Settings["ControlPanel:Consul:Address"] = Consul.Address.ToString();
        if (DiscoverNodes) Factory.Settings["ControlPanel:Consul:AllowUnixEndpoints"] = "true";
        else Factory.Settings["ControlPanel:Consul:NodeService"] = "";
        if (Token is { } token) Factory.Settings["ControlPanel:Consul:Token"] = token;
        foreach (var node in Lab.SharedNodes) Factory.Settings[$"ControlPanel:Consul:Agents:{node.Name}"] = Consul.AgentAddress(node.Name).ToString();
        await base.InitializeAsync();
    }

    /// <summary>PHP-FPM, one replica per shared node on a port of its own, health from FastCGI (so a TTL check in Consul).</summary>
    protected Dictionary<string, object> PhpRuntime(object? discovery = null)
    {
        var runtime = new Dictionary<string, object>
        {
            ["nodes"] = Lab.SharedNodes.Select(n => n.Name).ToArray(),
            ["ports"] = new[] { new { name = "PORT", rangeStart = _ports, rangeEnd = _ports + 7 } },
            ["health"] = "FastCgi",
            ["fastCgiProbe"] = new { portName = "PORT", timeoutSeconds = 2 },
            ["stopSignal"] = "SIGQUIT",
            ["drainDelaySeconds"] = 2,
            ["update"] = new { monitorSeconds = 0, progressDeadlineSeconds = 20 },
        };
        if (discovery is not null) runtime["discovery"] = discovery;
        return runtime;
    }

    protected async Task<int> ReleasePhpAsync(string tag, object? discovery = null)
    {
        await SaveAsync(Service, "lab/php-fpm", PhpRuntime(discovery));
        return await ReleaseTagAsync(Service, tag);
    }

    /// <summary>The service's instances in the stand-in's catalog, with their checks.</summary>
    protected async Task<List<HealthEntry>> CatalogAsync(string? name = null)
    {
        using var http = new HttpClient();
        if (Token is { } token) http.DefaultRequestHeaders.Add("X-Consul-Token", token);
        return (await http.GetFromJsonAsync<List<HealthEntry>>(new Uri(Consul.Address, $"/v1/health/service/{name ?? Service}")))!;
    }

    /// <summary>The Consul service ID the panel gives a replica.</summary>
    protected string IdOf(string containerId) => $"{Service}-{containerId[..12]}";

    protected static int PortOf(Docker.DotNet.Models.ContainerListResponse c) =>
        int.Parse(c.Labels[ReplicaLabels.PortPrefix + "PORT"], CultureInfo.InvariantCulture);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Consul.DisposeAsync();
    }

    public sealed record HealthEntry(HealthNode Node, HealthService Service, List<HealthCheck> Checks);

    public sealed record HealthNode(string Node, string Address);

    public sealed record HealthService(string ID, string Service, string Address, int Port, List<string> Tags, Dictionary<string, string> Meta);

    public sealed record HealthCheck(string CheckID, string Status, string Output, string ServiceID);
}
