using Bunit;
using Bunit.TestDoubles;
using ControlPanel.Core;
using ControlPanel.Core.Audit;
using ControlPanel.Core.Fleet;
using ControlPanel.Core.Security;
using ControlPanel.Infrastructure;
using ControlPanel.Infrastructure.Persistence;
using ControlPanel.TestSupport;
using ControlPanel.Web.Components.Pages.Nodes;
using ControlPanel.Web.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace ControlPanel.Web.Tests;

/// <summary>A node's availability panel, rendered with bUnit over the real services and a SQLite database.</summary>
public sealed class NodeAvailabilityPanelTests : IAsyncLifetime
{
    private readonly BunitContext _ctx = new();
    private BunitAuthorizationContext _auth = default!;
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"cp-bunit-{Guid.NewGuid():N}");
    private string Node => Lab.SharedNodes[0].Name;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dataDirectory);
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        _ctx.Services.AddMudServices();
        _auth = _ctx.AddAuthorization();
        _auth.SetAuthorized("bunit");
        var settings = new Dictionary<string, string?> { ["ControlPanel:Nodes:0:Name"] = Node, ["ControlPanel:Nodes:0:Endpoint"] = Lab.SharedNodes[0].Endpoint };
        _ctx.Services.AddCore().AddInfrastructure(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), _dataDirectory);
        _ctx.Services.AddSingleton(new FleetOptions());
        _ctx.Services.AddScoped<ICurrentActor, AdminActor>();
        await _ctx.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(default);
        await _ctx.Services.GetRequiredService<EfNodeCordons>().StartAsync(default);
    }

    public async Task DisposeAsync()
    {
        await _ctx.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    [Fact]
    public async Task AnAdminsCordon_ShowsOnEveryOpenPanel_WithItsReason_AndOutlivesARestart()
    {
        _auth.SetPolicies(Policies.Administer);
        var mine = _ctx.Render<NodeAvailabilityPanel>(p => p.Add(x => x.Name, Node));
        var another = _ctx.Render<NodeAvailabilityPanel>(p => p.Add(x => x.Name, Node));
        Assert.Equal("Active", mine.Find("[data-testid=availability]").GetAttribute("data-availability"));
        Assert.Contains("from configuration", mine.Find("[data-testid=origin]").TextContent, StringComparison.Ordinal);

        mine.Find("input").Change("new disks");
        mine.Find("[data-action=cordon]").Click();

        another.WaitForAssertion(() => Assert.Equal("Cordoned", another.Find("[data-testid=availability]").GetAttribute("data-availability")));
        Assert.Contains("new disks", another.Find("[data-testid=availability-reason]").TextContent, StringComparison.Ordinal);
        Assert.Contains("cordoned by admin", another.Find("[data-testid=availability-reason]").TextContent, StringComparison.Ordinal);
        var restarted = new EfNodeCordons(_ctx.Services.GetRequiredService<IDbContextFactory<ControlPanelDbContext>>());
        await restarted.StartAsync(default);
        Assert.Contains("new disks", restarted.Cordoned[Node], StringComparison.Ordinal);

        mine.Find("[data-action=uncordon]").Click();
        another.WaitForAssertion(() => Assert.Equal("Active", another.Find("[data-testid=availability]").GetAttribute("data-availability")));
        Assert.Empty(another.FindAll("[data-testid=availability-reason]"));
    }

    [Fact]
    public void AViewer_SeesTheAvailability_ButNoButton()
    {
        _auth.SetPolicies(Policies.ViewFleet);
        var panel = _ctx.Render<NodeAvailabilityPanel>(p => p.Add(x => x.Name, Node));

        Assert.Equal("Active", panel.Find("[data-testid=availability]").GetAttribute("data-availability"));
        Assert.Empty(panel.FindAll("[data-action]"));
    }

    private sealed class AdminActor : ICurrentActor
    {
        public Task<Actor> GetAsync(CancellationToken cancellationToken) => Task.FromResult(new Actor("admin", null, new HashSet<Role> { Role.Admin }, true));
    }
}
