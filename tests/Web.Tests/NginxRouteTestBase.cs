using System.Net.Http.Json;
using System.Text;
using ControlPanel.Core.Releases;
using ControlPanel.TestSupport;

namespace ControlPanel.Web.Tests;

/// <summary>
/// The seed's stack in the lab: the lab's nginx (a router service on node1, fixed port) in front of the lab's PHP-FPM
/// (the routed service, one replica on each shared node), both released by tag and deployed through the API.
/// </summary>
public abstract class NginxRouteTestBase : DeployTestBase
{
    protected const string UpstreamFile = "/etc/nginx/conf.d/upstream-fpm.conf";
    private readonly int _ports = LabContainers.NextPorts(8);

    protected string Router => $"{Service}-nginx";
    protected int RouterPort => _ports;
    protected string ProxyUrl(int ms) => $"http://127.0.0.1:{RouterPort}/?ms={ms}";

    /// <summary>Saves and deploys the router service (nginx on node1); other <paramref name="labels"/> make another release of the same image.</summary>
    protected async Task<Deployment> DeployRouterAsync(Dictionary<string, string>? labels = null)
    {
        await SaveAsync(Router, "lab/nginx", new Dictionary<string, object>
        {
            ["labels"] = labels ?? [],
            ["nodes"] = new[] { Lab.SharedNodes[0].Name },
            ["router"] = true,
            ["ports"] = new[] { new { name = "PORT", @fixed = RouterPort } },
            ["health"] = "Http",
            ["httpProbe"] = new { path = "/nginx-health", portName = "PORT", timeoutSeconds = 2 },
            ["stopSignal"] = "SIGQUIT",
            ["update"] = new { monitorSeconds = 0 },
        });
        return Succeeded(await DeployServiceAsync(Router, await ReleaseTagAsync(Router, "1")));
    }

    /// <summary>The routed PHP-FPM service's runtime: one replica per shared node, drained before SIGQUIT.</summary>
    protected Dictionary<string, object> PhpRuntime(string upstream = "fpm", string file = UpstreamFile, string pingResponse = "pong", string restartPolicy = "unless-stopped") => new()
    {
        ["restartPolicy"] = restartPolicy,
        ["nodes"] = Lab.SharedNodes.Select(n => n.Name).ToArray(),
        ["ports"] = new[] { new { name = "PORT", rangeStart = _ports + 1, rangeEnd = _ports + 7 } },
        ["health"] = "FastCgi",
        ["fastCgiProbe"] = new { portName = "PORT", response = pingResponse, timeoutSeconds = 2 },
        ["route"] = new { router = Router, upstream, portName = "PORT", file },
        ["stopSignal"] = "SIGQUIT",
        ["stopTimeoutSeconds"] = 30,
        ["drainDelaySeconds"] = 10,
        ["update"] = new { monitorSeconds = 1, progressDeadlineSeconds = 5 },
    };

    protected async Task<int> ReleasePhpAsync(string tag, Dictionary<string, object> runtime)
    {
        await SaveAsync(Service, "lab/php-fpm", runtime);
        return await ReleaseTagAsync(Service, tag);
    }

    protected async Task<Deployment> DeployServiceAsync(string service, int release)
    {
        var response = await Deployer.PostAsJsonAsync($"/api/services/{service}/deployments", new { release });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await WaitDeploymentAsync((await response.Content.ReadFromJsonAsync<Deployment>(Json))!.Id);
    }

    /// <summary>The router replica's upstream file, read straight from its container.</summary>
    protected async Task<string> UpstreamAsync()
    {
        var (node, router) = (await Engines.ServiceReplicasAsync(Router)).Single(r => r.Container.State == "running");
        using var services = new LabServices(Lab.SharedNodes);
        var bytes = await services.Exec.ReadFileAsync(Lab.SharedNodes.Single(n => n.Name == node), router.ID, UpstreamFile, default);
        return bytes is null ? "" : Encoding.UTF8.GetString(bytes);
    }

    /// <summary>The ports an upstream file lists.</summary>
    protected static List<int> PortsIn(string upstream) =>
        System.Text.RegularExpressions.Regex.Matches(upstream, @"server 127\.0\.0\.1:(\d+);").Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).Order().ToList();

    /// <summary>The ports the routed service's running replicas were given.</summary>
    protected async Task<List<int>> ReplicaPortsAsync() =>
        (await ReplicasAsync()).Where(r => r.Container.State == "running").Select(r => int.Parse(r.Container.Labels[ReplicaLabels.PortPrefix + "PORT"], System.Globalization.CultureInfo.InvariantCulture)).Order().ToList();

    /// <summary>Asserts that every request of the load was answered 200, saying what failed otherwise.</summary>
    protected static void EveryRequestAnswered(PostLoad load)
    {
        var bad = load.Answers.Where(a => a.Status != System.Net.HttpStatusCode.OK).Select(a => $"{(int)a.Status} {a.Body[..Math.Min(80, a.Body.Length)]}").ToList();
        Assert.True(load.Failures.IsEmpty && bad.Count == 0, $"{load.Failures.Count} failed and {bad.Count} not 200 of {load.Answered + load.Failures.Count}: {string.Join(" | ", load.Failures.Concat(bad).Take(5))}");
        Assert.True(load.Answered > 0);
    }

    public override async Task DisposeAsync()
    {
        foreach (var (node, c) in await Engines.ServiceReplicasAsync(Router))
            await Engines.Client(Lab.SharedNodes.Single(n => n.Name == node)).Containers.RemoveContainerAsync(c.ID, new Docker.DotNet.Models.ContainerRemoveParameters { Force = true });
        await base.DisposeAsync();
    }
}
