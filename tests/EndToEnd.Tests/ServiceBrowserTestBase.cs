using ControlPanel.TestSupport;

namespace ControlPanel.EndToEnd.Tests;

/// <summary>A browser test with a service of its own: a git repository for it, and its replicas removed afterwards.</summary>
public abstract class ServiceBrowserTestBase(string servicePrefix) : BrowserTestBase
{
    protected GitTestRepository Repo { get; } = new();
    protected string Service { get; } = servicePrefix + Guid.NewGuid().ToString("N")[..8];

    public override async Task DisposeAsync()
    {
        foreach (var (node, c) in await Containers.ServiceReplicasAsync(Service))
            await Containers.Client(Lab.SharedNodes.Single(n => n.Name == node)).Containers.RemoveContainerAsync(c.ID, new Docker.DotNet.Models.ContainerRemoveParameters { Force = true });
        await base.DisposeAsync();
        Repo.Dispose();
    }
}
