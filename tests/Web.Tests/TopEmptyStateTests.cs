using Bunit;
using ControlPanel.Core.Fleet;
using ControlPanel.TestSupport;
using ControlPanel.Web.Components.Pages.Top;
using Docker.DotNet.Models;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace ControlPanel.Web.Tests;

/// <summary>
/// Top with no row says why: nothing runs, or what runs has no reading yet. Rendered with bUnit over the real services
/// on an engine of the test's own (no other test's container runs there); no sampler runs, so nothing is ever read.
/// </summary>
public sealed class TopEmptyStateTests : IAsyncLifetime
{
    private readonly LabContainers _lab = new();
    private TemporaryEngine _engine = default!;
    private NodeDefinition _node = default!;
    private RealServicesBunit _bunit = default!;

    public async Task InitializeAsync()
    {
        _engine = await TemporaryEngine.StartAsync();
        _node = new NodeDefinition("own", _engine.Endpoint, new Dictionary<string, string>());
        _bunit = await RealServicesBunit.StartAsync([_node], Core.Security.Role.Viewer);
    }

    public async Task DisposeAsync()
    {
        await _lab.DisposeAsync();
        await _bunit.DisposeAsync();
        await _engine.DisposeAsync();
    }

    [Fact]
    public async Task NothingRunning_SaysSo_ThenARunningContainerWithoutAReading_IsCounted()
    {
        var fleet = _bunit.Context.Services.GetRequiredService<FleetState>();
        await LabContainers.WaitUntilAsync(() => Task.FromResult(fleet.Find(_node.Name) is not null), TimeSpan.FromSeconds(30), "the fleet to list the node");
        _bunit.Context.Render<MudPopoverProvider>();
        var page = _bunit.Context.Render<Top>();
        Assert.Equal("No container is running on any node.", page.Find("[data-testid=top-empty]").TextContent.Trim());
        Assert.Empty(page.FindAll("tr[data-container]"));

        using (var docker = _engine.Client())
        {
            var image = Lab.Image("busybox");
            await docker.Images.CreateImageAsync(new ImagesCreateParameters { FromImage = image[..image.LastIndexOf(':')], Tag = image[(image.LastIndexOf(':') + 1)..] },
                null, new Progress<JSONMessage>());
        }
        var id = await _lab.RunAsync(_node, "busybox", "unread", shellCommand: "sleep 3600");
        await LabContainers.WaitUntilAsync(() => Task.FromResult(fleet.Find(_node.Name)?.Containers.GetValueOrDefault(id)?.State == ContainerState.Running),
            TimeSpan.FromSeconds(30), "the fleet to see the container running");

        page.Render();
        Assert.Equal("1 container is running; its first reading comes within a few seconds.", page.Find("[data-testid=top-empty]").TextContent.Trim());
    }
}
