using ControlPanel.Core.Fleet;
using ControlPanel.Infrastructure.Docker;
using Microsoft.Extensions.Logging.Abstractions;

namespace ControlPanel.TestSupport;

/// <summary>Core services wired to the real Docker engine client, for tests below the web layer.</summary>
public sealed class LabServices : IDisposable
{
    public LabServices(IReadOnlyList<NodeDefinition> nodes, TimeSpan? nodeTimeout = null)
    {
        Directory = new FixedNodeDirectory(nodes);
        Options = new FleetOptions { NodeTimeout = nodeTimeout ?? TimeSpan.FromSeconds(5), MaxReconnectDelay = TimeSpan.FromSeconds(2) };
        Engine = new DockerContainerEngine(Pool, Options);
        Notifier = new FleetChangeNotifier(Options, NullLogger<FleetChangeNotifier>.Instance);
        Fleet = new FleetService(Directory, Engine, Facts, Options, NullLogger<FleetService>.Instance);
        Watcher = new FleetWatcher(Directory, Engine, Facts, State, Notifier, Options, NullLogger<FleetWatcher>.Instance);
        Logs = new Core.Logs.LogFollowers(new Infrastructure.Docker.Logs.DockerLogSource(Http), Fleet, Notifier, NullLoggerFactory.Instance);
    }

    public DockerClientPool Pool { get; } = new();
    public FixedNodeDirectory Directory { get; }
    public FleetOptions Options { get; }
    public DockerContainerEngine Engine { get; }
    public DockerContainerExec Exec => new(Pool, Http);
    public ContainerFactsCache Facts { get; } = new();
    public FleetState State { get; } = new();
    public FleetChangeNotifier Notifier { get; }
    public FleetService Fleet { get; }
    public FleetWatcher Watcher { get; }
    public Infrastructure.Docker.EngineHttp Http { get; } = new();
    public Core.Logs.LogFollowers Logs { get; }

    public void Dispose()
    {
        Pool.Dispose();
        Http.Dispose();
    }
}

/// <summary>A node directory with a fixed list, for tests that need unusual nodes beside the lab's.</summary>
public sealed class FixedNodeDirectory(IReadOnlyList<NodeDefinition> nodes) : INodeDirectory
{
    public IReadOnlyList<NodeDefinition> GetNodes() => nodes;
}
