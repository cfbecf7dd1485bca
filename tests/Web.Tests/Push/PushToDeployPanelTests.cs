using Bunit;
using ControlPanel.Core;
using ControlPanel.Core.Audit;
using ControlPanel.Core.Fleet;
using ControlPanel.Core.Pipelines.Push;
using ControlPanel.Core.Releases;
using ControlPanel.Core.Security;
using ControlPanel.Core.Services;
using ControlPanel.Infrastructure;
using ControlPanel.Infrastructure.Persistence;
using ControlPanel.TestSupport;
using ControlPanel.Web.Components.Pages.Services;
using ControlPanel.Web.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace ControlPanel.Web.Tests.Push;

/// <summary>The service page's Push to deploy panel, rendered with bUnit over the real services and a SQLite database.</summary>
public sealed class PushToDeployPanelTests : IAsyncLifetime
{
    private const string Service = "pushed";
    private readonly BunitContext _ctx = new();
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"cp-bunit-{Guid.NewGuid():N}");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dataDirectory);
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        _ctx.Services.AddMudServices();
        var auth = _ctx.AddAuthorization();
        auth.SetAuthorized("bunit");
        auth.SetPolicies([Policies.For(Permission.Deploy)]);
        var settings = new Dictionary<string, string?> { ["ControlPanel:Nodes:0:Name"] = Lab.SharedNodes[0].Name, ["ControlPanel:Nodes:0:Endpoint"] = Lab.SharedNodes[0].Endpoint };
        _ctx.Services.AddCore().AddInfrastructure(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), _dataDirectory);
        _ctx.Services.AddSingleton(new FleetOptions());
        _ctx.Services.AddScoped<ICurrentActor, DeployerActor>();
        // The pipeline track's queue and store are the Web host's; this panel only needs them to exist.
        var pipelines = new RecordingPipelines();
        _ctx.Services.AddSingleton<Core.Pipelines.IPipelineQueue>(pipelines);
        _ctx.Services.AddSingleton<Core.Pipelines.IPipelineStore>(pipelines);
        await _ctx.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(default);
        await _ctx.Services.GetRequiredService<IServiceStore>().AddRevisionAsync(Service, new BuildSettings { Registry = "lab", ImageRepository = "lab/pushed" }, new RuntimeSpec(),
            new AuditEntry { At = DateTimeOffset.UtcNow, Actor = "bunit", Action = "service.create", Target = Service, Succeeded = true, Duration = TimeSpan.Zero }, default);
    }

    public async Task DisposeAsync()
    {
        await _ctx.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    [Fact]
    public async Task ADeliveryReceivedWhileThePanelIsOpen_ShowsUpWithoutAReload()
    {
        using var scope = _ctx.Services.CreateScope();
        var secret = (await scope.ServiceProvider.GetRequiredService<PushHookService>().SaveAsync(Service, autoDeploy: true, rotateSecret: false, default)).Secret!;
        var panel = _ctx.Render<PushToDeployPanel>(p => p.Add(x => x.Service, Service).Add(x => x.Branch, "main"));
        panel.WaitForElement("[data-testid=push-deliveries-none]");

        // A service without a repository: the delivery is logged as ignored, which is enough to show it.
        var body = GitHubDeliveries.Push("refs/heads/main", new string('a', 40));
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["X-GitHub-Event"] = "push", ["X-GitHub-Delivery"] = "live-1", ["X-Hub-Signature-256"] = PushVerification.GitHubSignature(secret, body),
        };
        var receipt = await scope.ServiceProvider.GetRequiredService<PushReceiver>().ReceiveAsync(Service, headers, body, "127.0.0.1", default);

        Assert.Equal(PushReceiptKind.Ignored, receipt.Kind);
        panel.WaitForAssertion(() => Assert.Contains("no repository to build from", panel.Find("[data-delivery=live-1]").TextContent, StringComparison.Ordinal),
            TimeSpan.FromSeconds(10));
    }

    private sealed class DeployerActor : ICurrentActor
    {
        public Task<Actor> GetAsync(CancellationToken cancellationToken) =>
            Task.FromResult(new Actor("bunit", null, new HashSet<Role> { Role.Deployer }, true));
    }
}
