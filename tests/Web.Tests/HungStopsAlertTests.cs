using Bunit;
using Bunit.TestDoubles;
using ControlPanel.Core;
using ControlPanel.Core.Audit;
using ControlPanel.Core.Fleet;
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

namespace ControlPanel.Web.Tests;

/// <summary>The service page's warning about stops that ended in SIGKILL, rendered with bUnit over the real services and a SQLite database.</summary>
public sealed class HungStopsAlertTests : IAsyncLifetime
{
    private const string Service = "fpm";
    private readonly BunitContext _ctx = new();
    private BunitAuthorizationContext _auth = default!;
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"cp-bunit-{Guid.NewGuid():N}");
    private readonly string _killed = new StopDiagnosis(10, "SIGTERM", false, StopDiagnosis.LikelyCause("SIGTERM", false, "sh -c php-fpm8.2 -F", "lab/php-fpm")).ToString();

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dataDirectory);
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        _ctx.Services.AddMudServices();
        _auth = _ctx.AddAuthorization();
        _auth.SetAuthorized("bunit");
        var settings = new Dictionary<string, string?> { ["ControlPanel:Nodes:0:Name"] = Lab.SharedNodes[0].Name, ["ControlPanel:Nodes:0:Endpoint"] = Lab.SharedNodes[0].Endpoint };
        _ctx.Services.AddCore().AddInfrastructure(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), _dataDirectory);
        _ctx.Services.AddSingleton(new FleetOptions());
        _ctx.Services.AddScoped<ICurrentActor, DeployerActor>();
        await _ctx.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(default);
        await _ctx.Services.GetRequiredService<Core.Registries.IRegistryStore>().SaveAsync("lab", $"http://{Lab.Current.Registry}", null, null, Audit("registry.save"), default);
        await _ctx.Services.GetRequiredService<IServiceStore>().AddRevisionAsync(Service, new BuildSettings { Registry = "lab", ImageRepository = "lab/php-fpm" }, new RuntimeSpec(), Audit("service.create"), default);
    }

    public async Task DisposeAsync()
    {
        await _ctx.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    private static AuditEntry Audit(string action) => new() { At = DateTimeOffset.UtcNow, Actor = "bunit", Action = action, Target = Service, Succeeded = true, Duration = TimeSpan.Zero };

    /// <summary>A finished deployment whose stop-old steps have these details (null: a graceful stop).</summary>
    private async Task DeployedAsync(int release, params string?[] stops)
    {
        var store = _ctx.Services.GetRequiredService<IReleaseStore>();
        var deployment = new Deployment { Id = Guid.NewGuid(), Service = Service, Release = release, StartedBy = "bunit", StartedAt = DateTimeOffset.UtcNow.AddMinutes(release) };
        await store.StartDeploymentAsync(deployment, Audit("deployment.start"), default);
        for (var slot = 0; slot < stops.Length; slot++)
            await store.AddStepAsync(deployment.Id, new DeploymentStep(0, "node1", slot, DeploymentStepAction.StopOld, deployment.StartedAt, TimeSpan.FromSeconds(10), null, null, "c" + slot, stops[slot]), default);
        await store.FinishDeploymentAsync(deployment.Id, DeploymentStatus.Succeeded, null, deployment.StartedAt, default);
    }

    private async Task<IRenderedComponent<HungStopsAlert>> RenderAsync(bool mayDeploy = true)
    {
        _auth.SetPolicies(mayDeploy ? [Policies.For(Permission.Deploy)] : []);
        var current = (await _ctx.Services.GetRequiredService<IServiceStore>().FindAsync(Service, null, default))!;
        var deployments = await _ctx.Services.GetRequiredService<IReleaseStore>().ListDeploymentsAsync(Service, 50, default);
        return _ctx.Render<HungStopsAlert>(p => p.Add(x => x.Current, current).Add(x => x.Deployments, deployments));
    }

    [Fact]
    public async Task KilledStops_AreFlaggedWithTheirCause_AndRunWithInit_SavesANewRevisionWithInit()
    {
        await DeployedAsync(1, null, null);
        await DeployedAsync(2, _killed, null, _killed);

        var alert = await RenderAsync();

        alert.WaitForAssertion(() => Assert.Contains("2 of 3 replica stops in the latest deployment ran out the stop timeout", Text(alert.Find("[data-testid=hung-stops]")), StringComparison.Ordinal));
        Assert.Contains("PID 1 is a shell (sh -c php-fpm8.2 -F)", Text(alert.Find("[data-testid=hung-stops]")), StringComparison.Ordinal);
        Assert.Contains("SIGQUIT", alert.Find("[data-testid=sigquit-hint]").TextContent, StringComparison.Ordinal);

        alert.Find("[data-testid=run-with-init]").Click();

        alert.WaitForAssertion(() => Assert.Equal("Saved as revision 2 with init: true; make a release and deploy it to apply.", alert.Find("[data-testid=hung-stops-message]").TextContent.Trim()));
        var revisions = await _ctx.Services.GetRequiredService<IServiceStore>().RevisionsAsync(Service, default);
        Assert.Equal([false, true], revisions.OrderBy(r => r.Number).Select(r => r.Runtime!.Init));
        var changes = await _ctx.Services.GetRequiredService<IAuditLog>().QueryAsync(new AuditQuery { Action = "service.change" }, default);
        Assert.Equal(("bunit", Service), (Assert.Single(changes).Actor, changes[0].Target));
    }

    [Fact]
    public async Task GracefulStopsInTheLatestDeployment_ClearTheWarning_AndOneWhoMayNotDeploy_GetsNoButton()
    {
        await DeployedAsync(1, _killed);
        var flagged = await RenderAsync(mayDeploy: false);
        flagged.WaitForAssertion(() => Assert.Single(flagged.FindAll("[data-testid=hung-stops]")));
        Assert.Empty(flagged.FindAll("[data-testid=run-with-init]"));

        await DeployedAsync(2, (string?)null);
        Assert.Null(await HungStops.FindAsync(_ctx.Services.GetRequiredService<ReleaseService>(), Service, default));
    }

    /// <summary>The text a person reads: markup line breaks and indentation are one space.</summary>
    private static string Text(AngleSharp.Dom.IElement element) => System.Text.RegularExpressions.Regex.Replace(element.TextContent, @"\s+", " ");

    private sealed class DeployerActor : ICurrentActor
    {
        public Task<Actor> GetAsync(CancellationToken cancellationToken) =>
            Task.FromResult(new Actor("bunit", null, new HashSet<Role> { Role.Deployer }, true));
    }
}
