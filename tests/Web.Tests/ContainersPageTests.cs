using Bunit;
using ControlPanel.TestSupport;
using ControlPanel.Web.Components.Pages.Containers;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace ControlPanel.Web.Tests;

/// <summary>
/// The containers page's own logic — filtering and live updates — rendered with bUnit over the real
/// services: lab engines, the fleet watcher on their event streams, audit in SQLite.
/// </summary>
public sealed class ContainersPageTests : IAsyncLifetime
{
    private readonly LabContainers _lab = new();
    private RealServicesBunit _bunit = default!;

    public async Task InitializeAsync() =>
        _bunit = await RealServicesBunit.StartAsync(Lab.SharedNodes, Core.Security.Role.Operator, services => services.AddScoped<ContainersViewModel>());

    public async Task DisposeAsync()
    {
        await _lab.DisposeAsync();
        await _bunit.DisposeAsync();
    }

    private IRenderedComponent<Containers> RenderPage()
    {
        _bunit.Context.Render<MudPopoverProvider>();
        return _bunit.Context.Render<Containers>();
    }

    private static IReadOnlyList<string> Rows(IRenderedComponent<Containers> page, string runId) =>
        page.FindAll("tr[data-container]").Select(r => r.GetAttribute("data-container")!).Where(n => n.StartsWith(runId, StringComparison.Ordinal)).ToList();

    [Fact]
    public async Task FilterByText_ShowsOnlyMatchingRows_AndCountsThem()
    {
        await _lab.RunAsync(Lab.SharedNodes[0], "sigquit", "alpha");
        await _lab.RunAsync(Lab.SharedNodes[1], "sigquit", "beta");
        await _lab.RunAsync(Lab.SharedNodes[2], "sigquit", "alpha-two", start: false);
        var page = RenderPage();
        page.WaitForAssertion(() => Assert.Equal(3, Rows(page, _lab.RunId).Count), TimeSpan.FromSeconds(10));

        page.Find("input[data-testid=filter-text], [data-testid=filter-text] input").Input($"{_lab.RunId}-alpha");

        page.WaitForAssertion(() =>
        {
            Assert.Equal([$"{_lab.RunId}-alpha", $"{_lab.RunId}-alpha-two"], Rows(page, _lab.RunId).Order());
            Assert.StartsWith("2 of ", page.Find("[data-testid=count-total]").TextContent.Trim(), StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task ContainerStartedElsewhere_AppearsAndChangesStateLive()
    {
        var page = RenderPage();
        var node = Lab.SharedNodes[1];
        page.Find("input[data-testid=filter-text], [data-testid=filter-text] input").Input(_lab.RunId);

        // Created and started by someone else (here: the Docker API directly), after the page loaded.
        var id = await _lab.RunAsync(node, "sigquit", "live", stopSignal: "SIGQUIT");
        page.WaitForAssertion(() => Assert.Equal("running", StateOf(page, $"{_lab.RunId}-live")), TimeSpan.FromSeconds(10));

        await _lab.Client(node).Containers.StopContainerAsync(id, new global::Docker.DotNet.Models.ContainerStopParameters());
        page.WaitForAssertion(() => Assert.Equal("exited", StateOf(page, $"{_lab.RunId}-live")), TimeSpan.FromSeconds(10));

        await _lab.Client(node).Containers.RemoveContainerAsync(id, new global::Docker.DotNet.Models.ContainerRemoveParameters());
        page.WaitForAssertion(() => Assert.Empty(Rows(page, _lab.RunId)), TimeSpan.FromSeconds(10));
    }

    private static string StateOf(IRenderedComponent<Containers> page, string name) =>
        page.Find($"tr[data-container='{name}'] [data-testid=state]").TextContent.Trim();
}
