using ControlPanel.TestSupport;

namespace ControlPanel.Web.Tests;

/// <summary>The real app over the lab (see <see cref="PanelFactory"/>), an Operator's HTTP client to it, and test containers.</summary>
public abstract class ApiTestBase : IAsyncLifetime
{
    protected PanelFactory Factory { get; } = new();
    protected LabContainers Containers { get; } = new();
    protected HttpClient Http { get; private set; } = default!;

    /// <summary>Acts as an Operator: may see everything and act on containers.</summary>
    public async Task InitializeAsync() => Http = await Factory.CreateClientAsync(Core.Security.Role.Operator);

    public async Task DisposeAsync()
    {
        await Containers.DisposeAsync();
        await Factory.DisposeAsync();
    }
}
