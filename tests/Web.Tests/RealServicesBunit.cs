using Bunit;
using ControlPanel.Core;
using ControlPanel.Core.Audit;
using ControlPanel.Core.Fleet;
using ControlPanel.Core.Security;
using ControlPanel.Infrastructure;
using ControlPanel.Infrastructure.Persistence;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace ControlPanel.Web.Tests;

/// <summary>
/// A bUnit context over the panel's real services: the given engines, the fleet watcher on their event streams, the
/// database in SQLite; rendered as the browser sees a page once its circuit is up (interactive).
/// </summary>
public sealed class RealServicesBunit : IAsyncDisposable
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"cp-bunit-{Guid.NewGuid():N}");
    private readonly CancellationTokenSource _stop = new();
    private Task _watching = Task.CompletedTask;

    private RealServicesBunit() { }

    public BunitContext Context { get; } = new();

    public static async Task<RealServicesBunit> StartAsync(IEnumerable<NodeDefinition> nodes, Role role, Action<IServiceCollection>? configure = null)
    {
        var bunit = new RealServicesBunit();
        Directory.CreateDirectory(bunit._dataDirectory);
        var settings = new Dictionary<string, string?>();
        foreach (var (node, i) in nodes.Select((n, i) => (n, i)))
        {
            settings[$"ControlPanel:Nodes:{i}:Name"] = node.Name;
            settings[$"ControlPanel:Nodes:{i}:Endpoint"] = node.Endpoint;
        }
        var services = bunit.Context.Services;
        bunit.Context.JSInterop.Mode = JSRuntimeMode.Loose;
        services.AddLogging();
        services.AddMudServices();
        services.AddCore().AddInfrastructure(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), bunit._dataDirectory);
        services.AddSingleton(new FleetOptions());
        services.AddScoped<ICurrentActor>(_ => new FixedActor(role));
        configure?.Invoke(services);
        bunit.Context.SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
        await services.GetRequiredService<DatabaseMigrator>().MigrateAsync(default);
        bunit._watching = services.GetRequiredService<FleetWatcher>().RunAsync(bunit._stop.Token);
        return bunit;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _watching;
        await Context.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    private sealed class FixedActor(Role role) : ICurrentActor
    {
        public Task<Actor> GetAsync(CancellationToken cancellationToken) =>
            Task.FromResult(new Actor("bunit", null, new HashSet<Role> { role }, true));
    }
}
