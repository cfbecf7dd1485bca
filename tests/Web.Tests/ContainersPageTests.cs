using Bunit;
using ControlPanel.Core;
using ControlPanel.Core.Audit;
using ControlPanel.Core.Fleet;
using ControlPanel.Infrastructure;
using ControlPanel.Infrastructure.Persistence;
using ControlPanel.TestSupport;
using ControlPanel.Web.Components.Pages.Containers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace ControlPanel.Web.Tests;

/// <summary>
/// The containers page's own logic — filtering and live updates — rendered with bUnit over the real
/// services: lab engines, the fleet watcher on their event streams, audit in SQLite.
/// </summary>
public sealed class ContainersPageTests : IAsyncLifetime
{
    private readonly BunitContext _ctx = new();
    private readonly LabContainers _lab = new();
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"cp-bunit-{Guid.NewGuid():N}");
    private readonly CancellationTokenSource _stop = new();
    private Task _watching = Task.CompletedTask;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dataDirectory);
        var settings = new Dictionary<string, string?>();
        for (var i = 0; i < Lab.SharedNodes.Count; i++)
        {
            settings[$"ControlPanel:Nodes:{i}:Name"] = Lab.SharedNodes[i].Name;
            settings[$"ControlPanel:Nodes:{i}:Endpoint"] = Lab.SharedNodes[i].Endpoint;
        }
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        _ctx.Services.AddLogging();
        _ctx.Services.AddMudServices();
        _ctx.Services.AddCore().AddInfrastructure(configuration, _dataDirectory);
        _ctx.Services.AddSingleton(new FleetOptions());
        _ctx.Services.AddScoped<ICurrentActor, TestActor>();
        _ctx.Services.AddScoped<ContainersViewModel>();
        // As in the browser after the circuit connects: the virtualized table, not the prerendered rows.
        _ctx.SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
        await _ctx.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(default);
        _watching = _ctx.Services.GetRequiredService<FleetWatcher>().RunAsync(_stop.Token);
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _watching;
        await _lab.DisposeAsync();
        await _ctx.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    private IRenderedComponent<Containers> RenderPage()
    {
        _ctx.Render<MudPopoverProvider>();
        return _ctx.Render<Containers>();
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

    private sealed class TestActor : ICurrentActor
    {
        public Task<Core.Security.Actor> GetAsync(CancellationToken cancellationToken) =>
            Task.FromResult(new Core.Security.Actor("bunit", null, new HashSet<Core.Security.Role> { Core.Security.Role.Operator }, true));
    }
}
