using System.Collections.Concurrent;
using ControlPanel.Core.Fleet;
using ControlPanel.Core.Resources;
using ControlPanel.Core.Security;
using ControlPanel.Infrastructure.Docker;
using ControlPanel.TestSupport;
using Docker.DotNet.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ControlPanel.Web.Tests;

/// <summary>
/// A node's round waits for its slowest stats read; its viewers must not: readings that came in are announced while
/// another container's read still hangs. The node is the test's own engine, so only this test's containers are read.
/// </summary>
public sealed class ResourceSamplerSlowReadTests : IAsyncLifetime
{
    private readonly PanelFactory _factory = new();
    private readonly LabContainers _containers = new();
    private TemporaryEngine _engine = default!;

    public async Task InitializeAsync()
    {
        _engine = await TemporaryEngine.StartAsync();
        _factory.Settings["ControlPanel:Nodes:4:Name"] = "scratch";
        _factory.Settings["ControlPanel:Nodes:4:Endpoint"] = _engine.Endpoint;
        _factory.ConfigureServices = services =>
        {
            // Long enough that the held read is still held when the test looks, however busy the machine is.
            services.RemoveAll<ResourceUsageOptions>();
            services.AddSingleton(new ResourceUsageOptions { ReadTimeout = TimeSpan.FromMinutes(2) });
            services.AddSingleton<DockerContainerStatsReader>();
            services.AddSingleton<GatedStatsReader>();
            services.AddSingleton<IContainerStatsReader>(sp => sp.GetRequiredService<GatedStatsReader>());
        };
    }

    public async Task DisposeAsync()
    {
        await _containers.DisposeAsync();
        await _factory.DisposeAsync();
        await _engine.DisposeAsync();
    }

    [Fact]
    public async Task WhileOneReadHangs_TheRoundsOtherReadingsReachViewers()
    {
        await _factory.CreateClientAsync(Role.Viewer);
        var scratch = new NodeDefinition("scratch", _engine.Endpoint, new Dictionary<string, string>());
        using (var docker = _engine.Client())
        {
            var image = Lab.Image("busybox");
            await docker.Images.CreateImageAsync(new ImagesCreateParameters { FromImage = image[..image.LastIndexOf(':')], Tag = image[(image.LastIndexOf(':') + 1)..] },
                null, new Progress<JSONMessage>());
        }
        var quick = await _containers.RunAsync(scratch, "busybox", "quick", shellCommand: "sleep 3600");
        var slow = await _containers.RunAsync(scratch, "busybox", "slow", shellCommand: "sleep 3600");
        var usage = _factory.Services.GetRequiredService<ResourceUsage>();
        await LabContainers.WaitUntilAsync(() => Task.FromResult(usage.Latest(new ResourceScope.Container("scratch", quick)) is not null
            && usage.Latest(new ResourceScope.Container("scratch", slow)) is not null), TimeSpan.FromSeconds(90), "both containers' first readings");

        // The next round's reads of both wait at the gate.
        var gate = _factory.Services.GetRequiredService<GatedStatsReader>();
        gate.Hold(quick);
        gate.Hold(slow);
        await gate.PendingAsync(quick).WaitAsync(TimeSpan.FromSeconds(60));
        await gate.PendingAsync(slow).WaitAsync(TimeSpan.FromSeconds(60));
        var sampler = usage.Samplers["scratch"];
        var rounds = sampler.Rounds;
        var before = usage.Latest(new ResourceScope.Container("scratch", quick))!.At;
        var slowBefore = usage.Latest(new ResourceScope.Container("scratch", slow))!.At;
        var announced = new TaskCompletionSource<DateTimeOffset>(TaskCreationOptions.RunContinuationsAsynchronously);
        usage.Sampled += node =>
        {
            if (node == "scratch" && usage.Latest(new ResourceScope.Container("scratch", quick)) is { } latest && latest.At > before) announced.TrySetResult(latest.At);
        };
        // Announcements come at most once a second, counted from the last round's end: let that second pass.
        await Task.Delay(TimeSpan.FromSeconds(1.1));

        gate.Release(quick);
        var at = await announced.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(at > before);
        Assert.Equal(rounds, sampler.Rounds); // the round itself still waits for the slow read
        Assert.Equal(slowBefore, usage.Latest(new ResourceScope.Container("scratch", slow))!.At);
        gate.Release(slow);
        await LabContainers.WaitUntilAsync(() => Task.FromResult(sampler.Rounds > rounds), TimeSpan.FromSeconds(60), "the round to end once the slow read is let go");
    }
}

/// <summary>Lets a held container's stats reads wait until the test releases them; every other read goes straight to the engine.</summary>
public sealed class GatedStatsReader(DockerContainerStatsReader inner) : IContainerStatsReader
{
    private readonly ConcurrentDictionary<string, (TaskCompletionSource Pending, TaskCompletionSource Released)> _held = new();

    public void Hold(string containerId) =>
        _held[containerId] = (new(TaskCreationOptions.RunContinuationsAsynchronously), new(TaskCreationOptions.RunContinuationsAsynchronously));

    /// <summary>Completes once a read of the held container waits at the gate.</summary>
    public Task PendingAsync(string containerId) => _held[containerId].Pending.Task;

    public void Release(string containerId) => _held[containerId].Released.TrySetResult();

    public async Task<ContainerCounters> ReadOnceAsync(NodeDefinition node, string containerId, CancellationToken cancellationToken)
    {
        if (_held.TryGetValue(containerId, out var gate))
        {
            gate.Pending.TrySetResult();
            await gate.Released.Task.WaitAsync(cancellationToken);
        }
        return await inner.ReadOnceAsync(node, containerId, cancellationToken);
    }
}
