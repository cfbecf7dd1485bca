using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.ExceptionServices;
using Bunit;
using ControlPanel.Core;
using ControlPanel.Core.Fleet;
using ControlPanel.Core.Releases;
using ControlPanel.Infrastructure;
using ControlPanel.Infrastructure.Docker;
using ControlPanel.TestSupport;
using ControlPanel.Web.Components.Pages.Services;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MudBlazor.Services;

namespace ControlPanel.Web.Tests;

/// <summary>
/// The service page's replica table over the real services: lab engines, the fleet watcher on their event streams.
/// The engine is wrapped to count its calls (and, for one node, to fail the way a client bug would).
/// </summary>
public sealed class ServiceReplicasTests : IAsyncLifetime
{
    private const string BrokenNode = "broken";
    private readonly BunitContext _ctx = new();
    private readonly LabContainers _lab = new();
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"cp-bunit-{Guid.NewGuid():N}");
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<string> _errors = new();
    private CountingEngine _engine = default!;
    private Task _watching = Task.CompletedTask;

    private string Service => $"{_lab.RunId}-svc";

    public Task InitializeAsync() => Task.CompletedTask;

    private void Configure(bool withBrokenNode = false)
    {
        Directory.CreateDirectory(_dataDirectory);
        var nodes = Lab.SharedNodes.Select(n => (n.Name, n.Endpoint)).ToList();
        if (withBrokenNode) nodes.Add((BrokenNode, Lab.SharedNodes[0].Endpoint));
        var settings = new Dictionary<string, string?>();
        for (var i = 0; i < nodes.Count; i++)
        {
            settings[$"ControlPanel:Nodes:{i}:Name"] = nodes[i].Name;
            settings[$"ControlPanel:Nodes:{i}:Endpoint"] = nodes[i].Endpoint;
        }
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        _ctx.AddAuthorization(); // signed out: the rows' operator actions stay hidden
        _ctx.Services.AddLogging(l => l.AddProvider(new ErrorRecorder(_errors)));
        _ctx.Services.AddMudServices();
        _ctx.Services.AddCore().AddInfrastructure(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), _dataDirectory);
        _ctx.Services.AddSingleton(new FleetOptions());
        _ctx.Services.AddSingleton<IContainerEngine>(sp =>
        {
            _engine = CountingEngine.Wrap(ActivatorUtilities.CreateInstance<DockerContainerEngine>(sp), withBrokenNode ? BrokenNode : null);
            return _engine.Engine;
        });
    }

    /// <summary>The watcher follows the lab's shared nodes only: a broken node stays unlisted, so the table must ask it.</summary>
    private async Task WatchSharedNodesAsync()
    {
        var watcher = _ctx.Services.GetRequiredService<FleetWatcher>();
        var state = _ctx.Services.GetRequiredService<FleetState>();
        _watching = Task.WhenAll(Lab.SharedNodes.Select(n => watcher.WatchNodeAsync(n, _stop.Token)));
        await LabContainers.WaitUntilAsync(() => Task.FromResult(Lab.SharedNodes.All(n => state.Find(n.Name) is not null)), TimeSpan.FromSeconds(30), "the first listing of every node");
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _watching;
        await _lab.DisposeAsync();
        await _ctx.DisposeAsync();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    private Task<string> ReplicaAsync(NodeDefinition node, int slot) => _lab.RunAsync(node, "busybox", $"r{slot}", shellCommand: "exec sleep 3600",
        labels: new Dictionary<string, string> { [ReplicaLabels.Service] = Service, [ReplicaLabels.Slot] = slot.ToString(), [ReplicaLabels.Release] = "1" });

    private static IReadOnlyList<string> Rows(IRenderedComponent<ServiceReplicas> table) =>
        table.FindAll("tr[data-node]").Select(r => $"{r.GetAttribute("data-node")}/{r.GetAttribute("data-slot")}/{r.GetAttribute("data-drift")}").ToList();

    [Fact]
    public async Task ContainerEvents_UpdateTheTableFromTheFleetState_WithoutListingEveryEngine()
    {
        Configure();
        await WatchSharedNodesAsync();
        var (node1, node2, node3) = (Lab.SharedNodes[0], Lab.SharedNodes[1], Lab.SharedNodes[2]);
        var first = await ReplicaAsync(node1, 0);
        await ReplicaAsync(node2, 0);
        var resyncs = 0;
        using var counting = _ctx.Services.GetRequiredService<FleetChangeNotifier>().Subscribe(c =>
        {
            if (c is NodeResynced) Interlocked.Increment(ref resyncs);
            return Task.CompletedTask;
        });
        var table = _ctx.Render<ServiceReplicas>(p => p.Add(t => t.Service, Service).Add(t => t.CurrentRelease, 1));
        table.WaitForAssertion(() => Assert.Equal([$"{node1.Name}/0/false", $"{node2.Name}/0/false"], Rows(table)), TimeSpan.FromSeconds(15));
        var listsBefore = _engine.Calls(nameof(IContainerEngine.ListContainersAsync));

        await _lab.Client(node1).Containers.StopContainerAsync(first, new() { WaitBeforeKillSeconds = 0 });
        await ReplicaAsync(node3, 0);

        table.WaitForAssertion(() => Assert.Equal([$"{node1.Name}/0/true", $"{node2.Name}/0/false", $"{node3.Name}/0/false"], Rows(table)), TimeSpan.FromSeconds(15));
        // Only the watcher's own resyncs (if a stream reconnected meanwhile) listed a node; the table listed none.
        Assert.Equal(Volatile.Read(ref resyncs), _engine.Calls(nameof(IContainerEngine.ListContainersAsync)) - listsBefore);
        Assert.Empty(table.FindAll("[data-testid=replicas-failed]"));
    }

    [Fact]
    public async Task UnexpectedFailure_EndsVisiblyInTheTable_AndIsLogged()
    {
        Configure(withBrokenNode: true);
        await WatchSharedNodesAsync();
        await ReplicaAsync(Lab.SharedNodes[0], 0);

        var table = _ctx.Render<ServiceReplicas>(p => p.Add(t => t.Service, Service));

        table.WaitForAssertion(() => Assert.Contains("Could not read the replicas: the engine client broke", table.Find("[data-testid=replicas-failed]").TextContent),
            TimeSpan.FromSeconds(15));
        Assert.Contains(_errors, e => e.Contains($"Could not read the replicas of service {Service}", StringComparison.Ordinal));
    }

    /// <summary>Forwards every call to the real engine, counting them; listing the failing node throws as a client bug would.</summary>
    public class CountingEngine : DispatchProxy
    {
        private readonly ConcurrentDictionary<string, int> _calls = new();
        private IContainerEngine _inner = default!;
        private string? _failing;

        public static CountingEngine Wrap(IContainerEngine inner, string? failing = null)
        {
            var proxy = Create<IContainerEngine, CountingEngine>();
            var counting = (CountingEngine)(object)proxy;
            (counting._inner, counting._failing) = (inner, failing);
            return counting;
        }

        public IContainerEngine Engine => (IContainerEngine)(object)this;

        public int Calls(string method) => _calls.GetValueOrDefault(method);

        protected override object? Invoke(MethodInfo? method, object?[]? args)
        {
            _calls.AddOrUpdate(method!.Name, 1, (_, n) => n + 1);
            if (method.Name == nameof(IContainerEngine.ListContainersAsync) && args![0] is NodeDefinition node && node.Name == _failing)
                return Task.FromException<IReadOnlyList<ContainerSummary>>(new InvalidOperationException("the engine client broke"));
            try
            {
                return method.Invoke(_inner, args);
            }
            catch (TargetInvocationException ex)
            {
                ExceptionDispatchInfo.Throw(ex.InnerException!);
                throw;
            }
        }
    }

    private sealed class ErrorRecorder(ConcurrentQueue<string> errors) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Recorder(errors);
        public void Dispose() { }

        private sealed class Recorder(ConcurrentQueue<string> errors) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;
            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel)) errors.Enqueue(formatter(state, exception));
            }
        }
    }
}
