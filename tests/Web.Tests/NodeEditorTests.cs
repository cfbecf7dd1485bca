using AngleSharp.Dom;
using Bunit;
using ControlPanel.Core;
using ControlPanel.Core.Audit;
using ControlPanel.Core.Fleet;
using ControlPanel.Core.Security;
using ControlPanel.Infrastructure;
using ControlPanel.Infrastructure.Persistence;
using ControlPanel.TestSupport;
using ControlPanel.Web.Components.Pages.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace ControlPanel.Web.Tests;

/// <summary>The Nodes page's editor, rendered with bUnit over the real services, a SQLite database and a lab engine.</summary>
public sealed class NodeEditorTests : IAsyncLifetime
{
    private readonly BunitContext _ctx = new();
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"cp-bunit-{Guid.NewGuid():N}");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dataDirectory);
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        _ctx.Services.AddMudServices();
        _ctx.AddAuthorization().SetAuthorized("bunit");
        var settings = new Dictionary<string, string?> { ["ControlPanel:Nodes:0:Name"] = Lab.SharedNodes[0].Name, ["ControlPanel:Nodes:0:Endpoint"] = Lab.SharedNodes[0].Endpoint };
        _ctx.Services.AddCore().AddInfrastructure(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), _dataDirectory);
        _ctx.Services.AddSingleton(new FleetOptions());
        _ctx.Services.AddScoped<ICurrentActor, AdminActor>();
        await _ctx.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(default);
        await _ctx.Services.GetRequiredService<StoredNodes>().LoadAsync(default);
    }

    public async Task DisposeAsync()
    {
        await _ctx.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    private static IElement Input(IRenderedComponent<NodeEditor> editor, string testId) =>
        editor.Find($"[data-testid={testId}]") is { LocalName: "input" or "textarea" } input ? input : editor.Find($"[data-testid={testId}] input, [data-testid={testId}] textarea");

    [Fact]
    public void AnUnreachableEndpoint_IsShownOnTheEndpointField_AndAReachableOneIsTestedAndSaved()
    {
        bool? closed = null;
        var editor = _ctx.Render<NodeEditor>(p => p.Add(x => x.OnClosed, saved => closed = saved));
        Input(editor, "node-name").Change("ui-node");
        Input(editor, "node-endpoint").Change("unix:///var/tmp/controlpanel-lab/nowhere/docker.sock");
        editor.Find("[data-testid=save-node]").Click();

        editor.WaitForAssertion(() => Assert.Contains("no Docker socket at /var/tmp/controlpanel-lab/nowhere/docker.sock", editor.Markup, StringComparison.Ordinal));
        // On the endpoint's own box, not in the form-wide alert.
        Assert.Contains(editor.FindAll(".mud-input-error"), e => e.TextContent.Contains("no Docker socket", StringComparison.Ordinal));
        Assert.Empty(editor.FindAll("[data-testid=node-error]"));
        Assert.Null(closed);
        Assert.Empty(_ctx.Services.GetRequiredService<INodeStore>().GetNodes());

        Input(editor, "node-endpoint").Change(Lab.SharedNodes[1].Endpoint);
        editor.Find("[data-testid=test-node]").Click();
        editor.WaitForAssertion(() => Assert.Contains("API 1.41", editor.Find("[data-testid=node-test-result]").TextContent, StringComparison.Ordinal));
        Assert.Empty(_ctx.Services.GetRequiredService<INodeStore>().GetNodes());

        editor.Find("[data-testid=save-node]").Click();
        editor.WaitForAssertion(() => Assert.True(closed));
        var stored = Assert.Single(_ctx.Services.GetRequiredService<INodeStore>().GetNodes());
        Assert.Equal(("ui-node", Lab.SharedNodes[1].Endpoint, NodeOrigin.Stored), (stored.Name, stored.Endpoint, stored.Origin));
        Assert.Contains(_ctx.Services.GetRequiredService<INodeDirectory>().GetNodes(), n => n.Name == "ui-node");
    }

    private sealed class AdminActor : ICurrentActor
    {
        public Task<Actor> GetAsync(CancellationToken cancellationToken) =>
            Task.FromResult(new Actor("bunit", null, new HashSet<Role> { Role.Admin }, true));
    }
}
