using ControlPanel.TestSupport;

namespace ControlPanel.Infrastructure.Tests;

/// <summary>Real containers on the shared lab nodes (removed after each test) and Core services over them.</summary>
public abstract class EngineTestBase : IAsyncLifetime
{
    protected LabContainers Containers { get; } = new();
    protected LabServices Services { get; } = new(Lab.SharedNodes);

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        await Containers.DisposeAsync();
        Services.Dispose();
    }
}
