using ControlPanel.Core.Discovery;
using ControlPanel.Infrastructure.Consul;
using ConsulStandIn = ControlPanel.TestSupport.Consul.ConsulStandIn;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPanel.Infrastructure.Tests.Consul;

/// <summary>The panel's real Consul client against the lab's stand-in: the two were written apart from the same documentation.</summary>
public sealed class ConsulClientAgainstStandInTests
{
    private const string Token = "b1gs33cr3t-stand-in";

    [Fact]
    public async Task ARegistration_ThroughTheNodesAgent_IsSeenInTheCatalogAndHealth_AndABlockingReadWakesOnIt()
    {
        await using var consul = await ConsulStandIn.StartAsync(token: Token, node: "consul-node1");
        var services = new ServiceCollection().AddLogging();
        services.AddConsul(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ControlPanel:Consul:Address"] = consul.Address.ToString(),
            ["ControlPanel:Consul:Token"] = Token,
            ["ControlPanel:Consul:Agents:node1"] = consul.AgentAddress("consul-node1").ToString(),
        }).Build());
        await using var provider = services.BuildServiceProvider();
        var catalog = provider.GetRequiredService<IConsulCatalog>();
        var agent = provider.GetRequiredService<IConsulAgent>();
        var before = await catalog.HealthAsync("web", passingOnly: false, 0, TimeSpan.FromSeconds(1), CancellationToken.None);

        var waking = catalog.HealthAsync("web", passingOnly: false, before.Index, TimeSpan.FromSeconds(30), CancellationToken.None);
        await agent.RegisterAsync(ConsulFailureTests.Node("node1"),
            new ServiceRegistration("web-1", "web", "127.0.0.1", 9101, ["release-3"], new Dictionary<string, string> { ["release"] = "3" },
                new ServiceCheck("web-1-ttl", "panel keeps it alive", Ttl: TimeSpan.FromSeconds(30))), CancellationToken.None);
        var woken = await waking;

        Assert.Empty(before.Value);
        Assert.True(woken.Index > before.Index);
        var instance = Assert.Single(woken.Value);
        Assert.Equal(("web-1", 9101, "3"), (instance.Service.ServiceId, instance.Service.Port, instance.Service.Meta["release"]));
        Assert.Equal(CheckStatus.Critical, instance.Status); // a TTL check starts critical until the panel reports it

        await agent.ReportTtlAsync(ConsulFailureTests.Node("node1"), "web-1-ttl", CheckStatus.Passing, "healthy", CancellationToken.None);
        var passing = await catalog.HealthAsync("web", passingOnly: true, 0, TimeSpan.FromSeconds(1), CancellationToken.None);
        Assert.Equal("web-1", Assert.Single(passing.Value).Service.ServiceId);

        await agent.DeregisterAsync(ConsulFailureTests.Node("node1"), "web-1", CancellationToken.None);
        Assert.Empty((await catalog.ServiceAsync("web", 0, TimeSpan.FromSeconds(1), CancellationToken.None)).Value);
    }
}
