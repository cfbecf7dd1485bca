using ControlPanel.TestSupport;

namespace ControlPanel.Web.Tests;

/// <summary>The real app over the lab (see <see cref="PanelFactory"/>), an HTTP client to it, and test containers.</summary>
public abstract class ApiTestBase : IAsyncLifetime
{
    protected PanelFactory Factory { get; } = new();
    protected LabContainers Containers { get; } = new();
    protected HttpClient Http { get; private set; } = default!;

    public Task InitializeAsync()
    {
        Http = Factory.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await Containers.DisposeAsync();
        await Factory.DisposeAsync();
    }
}
