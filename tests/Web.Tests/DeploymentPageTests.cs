using Bunit;
using ControlPanel.Core;
using ControlPanel.Core.Audit;
using ControlPanel.Core.Fleet;
using ControlPanel.Core.Releases;
using ControlPanel.Infrastructure;
using ControlPanel.Infrastructure.Persistence;
using ControlPanel.TestSupport;
using ControlPanel.Web.Components.Pages.Deployments;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MudBlazor.Services;

namespace ControlPanel.Web.Tests;

/// <summary>The deployment page's follow loop, rendered with bUnit over the real services and a SQLite database.</summary>
public sealed class DeploymentPageTests : IAsyncLifetime
{
    private readonly BunitContext _ctx = new();
    private readonly LogCapture _logs = new();
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"cp-bunit-{Guid.NewGuid():N}");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dataDirectory);
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        _ctx.AddAuthorization();
        _ctx.Services.AddLogging(logging => logging.AddProvider(_logs));
        _ctx.Services.AddMudServices();
        _ctx.Services.AddCore().AddInfrastructure(new ConfigurationBuilder().Build(), _dataDirectory);
        _ctx.Services.AddSingleton(new FleetOptions());
        _ctx.Services.AddScoped<ICurrentActor, Viewer>();
        ObservedReleaseStore.Decorate(_ctx.Services);
        await _ctx.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(default);
    }

    public async Task DisposeAsync()
    {
        await _ctx.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    [Fact]
    public async Task ADatabaseErrorWhileFollowing_EndsTheLiveUpdatesVisibly_AndIsLogged()
    {
        var store = _ctx.Services.GetRequiredService<ObservedReleaseStore>();
        var deployment = new Deployment { Id = Guid.NewGuid(), Service = "api", Release = 1, StartedBy = "alice", StartedAt = DateTimeOffset.UtcNow };
        await store.StartDeploymentAsync(deployment,
            new AuditEntry { At = DateTimeOffset.UtcNow, Actor = "alice", Action = "deployment.start", Target = "api", Succeeded = true, Duration = TimeSpan.Zero }, default);
        var page = _ctx.Render<DeploymentPage>(p => p.Add(x => x.Id, deployment.Id));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=deployment-progress]")));
        Assert.Empty(page.FindAll("[data-testid=follow-stopped]"));

        store.FailDeploymentRead = id => id == deployment.Id ? new Microsoft.Data.Sqlite.SqliteException("SQLite Error 10: 'disk I/O error'.", 10) : null;
        _ctx.Services.GetRequiredService<DeploymentChanges>().Changed(deployment.Id);

        page.WaitForAssertion(() => Assert.Equal(
            "Live updates stopped: the deployment could not be read (SQLite Error 10: 'disk I/O error'). Reload to retry.",
            page.Find("[data-testid=follow-stopped]").TextContent.Trim()), TimeSpan.FromSeconds(10));
        Assert.Single(_logs.Lines, l => l.StartsWith("Error ", StringComparison.Ordinal) && l.Contains($"Live updates of deployment {deployment.Id} stopped", StringComparison.Ordinal)
            && l.Contains("disk I/O error", StringComparison.Ordinal));
        Assert.Equal("api", page.Find("h1 a").TextContent); // what was read before stays on the page
    }

    [Fact]
    public async Task AnInterruptedDeploymentThePanelFinished_LinksToTheDeploymentThatDid_AndShowsNoLaneForThePanel()
    {
        var store = _ctx.Services.GetRequiredService<IReleaseStore>();
        var audit = new AuditEntry { At = DateTimeOffset.UtcNow, Actor = "alice", Action = "deployment.start", Target = "api", Succeeded = true, Duration = TimeSpan.Zero };
        var interrupted = new Deployment { Id = Guid.NewGuid(), Service = "api", Release = 2, StartedBy = "alice", StartedAt = DateTimeOffset.UtcNow };
        await store.StartDeploymentAsync(interrupted, audit, default);
        await store.AddStepAsync(interrupted.Id, new DeploymentStep(0, "node1", 0, DeploymentStepAction.Create, DateTimeOffset.UtcNow, TimeSpan.Zero, null, "api-0-r2-abc", null, null), default);
        await store.FinishDeploymentAsync(interrupted.Id, DeploymentStatus.Interrupted, "The panel stopped mid-way.", DateTimeOffset.UtcNow, default);
        var finisher = Guid.NewGuid();
        await store.AddStepAsync(interrupted.Id, new DeploymentStep(0, "panel", null, DeploymentStepAction.Resume, DateTimeOffset.UtcNow, TimeSpan.Zero, null, null, null, $"resumed by deployment {finisher}"), default);

        var page = _ctx.Render<DeploymentPage>(p => p.Add(x => x.Id, interrupted.Id));

        page.WaitForAssertion(() => Assert.Equal($"/deployments/{finisher}", page.Find("[data-testid=resumed] a").GetAttribute("href")));
        Assert.Equal(["node1"], page.FindAll("[data-lane]").Select(l => l.GetAttribute("data-lane")));
    }

    private sealed class Viewer : ICurrentActor
    {
        public Task<Core.Security.Actor> GetAsync(CancellationToken cancellationToken) =>
            Task.FromResult(new Core.Security.Actor("bunit", null, new HashSet<Core.Security.Role> { Core.Security.Role.Viewer }, true));
    }
}
