using ControlPanel.Core.Discovery;
using ControlPanel.Core.Fleet;
using ControlPanel.Core.Releases;
using ControlPanel.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace ControlPanel.Web.Components.Pages.Services;

/// <summary>
/// Live replica table: re-read from the fleet state (no engine call) when a change concerns this service, at most
/// once a second. Loads run on the renderer's thread with the page's cancellation; a failed one says so in the table.
/// </summary>
public sealed partial class ServiceReplicas
{
    private readonly CancellationTokenSource _closed = new();
    private List<ReplicaRow> _rows = [];
    private List<string> _notes = [];
    private string? _failure;
    private IDisposable? _subscription;
    private RenderThrottle? _refresh;

    [Parameter, EditorRequired] public string Service { get; set; } = "";
    /// <summary>The release the last successful deployment applied; replicas of another are drift.</summary>
    [Parameter] public int? CurrentRelease { get; set; }
    [Parameter] public RuntimeSpec? Runtime { get; set; }

    [Inject] private FleetService Fleet { get; set; } = default!;
    [Inject] private FleetState State { get; set; } = default!;
    [Inject] private FleetChangeNotifier Changes { get; set; } = default!;
    [Inject] private ILogger<ServiceReplicas> Logger { get; set; } = default!;
    /// <summary>Consul's view, when the panel registers replicas (null without Consul).</summary>
    [Inject] private IServiceProvider Services { get; set; } = default!;

    private RegistrationView? _consul;
    private bool _followingConsul;

    protected override void OnInitialized()
    {
        _refresh = new RenderThrottle(() => InvokeAsync(async () => { await LoadAsync(); StateHasChanged(); }), TimeSpan.FromSeconds(1));
        _subscription = Changes.Subscribe(change =>
        {
            if (Concerns(change)) _refresh.Request();
            return Task.CompletedTask;
        });
    }

    protected override Task OnParametersSetAsync()
    {
        if (!_followingConsul && Runtime is { } spec && Services.GetService<IReplicaRegistrations>() is { } registrations && registrations.Registers(spec))
        {
            _followingConsul = true;
            _ = FollowConsulAsync(registrations, spec);
        }
        return LoadAsync();
    }

    /// <summary>Consul's view of each replica, updated by a blocking query while the page is open.</summary>
    private async Task FollowConsulAsync(IReplicaRegistrations registrations, RuntimeSpec spec)
    {
        try
        {
            await foreach (var view in registrations.WatchAsync(Service, spec, _closed.Token))
            {
                _consul = view;
                await InvokeAsync(StateHasChanged);
            }
        }
        catch (OperationCanceledException) when (_closed.IsCancellationRequested)
        {
            // The page was closed.
        }
        catch (Exception ex)
        {
            Logger.LogError(ex, "Following Consul's view of service {Service} stopped", Service);
            _consul = new RegistrationView(_consul?.ByContainer ?? new Dictionary<string, ReplicaRegistration>(), $"Consul's view stopped updating: {ex.Message}");
            await InvokeAsync(StateHasChanged);
        }
    }

    private ReplicaRegistration? ConsulOf(ReplicaRow row) => row.Container is { } c ? _consul?.ByContainer.GetValueOrDefault(c.Id) : null;

    private static Color ColorOf(CheckStatus status) => status switch
    {
        CheckStatus.Passing => Color.Success,
        CheckStatus.Warning => Color.Warning,
        _ => Color.Error,
    };

    private bool Concerns(FleetChange change) => change switch
    {
        ContainerChanged { Container: { } c } => ReplicaTable.IsOf(c, Service),
        ContainerChanged gone => _rows.Any(r => r.Container?.Id == gone.Id),
        _ => true, // a resync, a lost stream, or missed changes: the whole table may differ
    };

    private async Task LoadAsync()
    {
        try
        {
            (_rows, _notes) = await new ReplicaTable(Fleet, State).LoadAsync(Service, CurrentRelease, Runtime, _closed.Token);
            _failure = null;
        }
        catch (OperationCanceledException) when (_closed.IsCancellationRequested)
        {
            // The page was closed mid-load.
        }
        catch (Exception ex)
        {
            Logger.LogError(ex, "Could not read the replicas of service {Service}", Service);
            _failure = $"Could not read the replicas: {ex.Message}";
        }
    }

    public void Dispose()
    {
        _subscription?.Dispose();
        _refresh?.Dispose();
        // Cancelled, not disposed: a load in flight may still read its token.
        _closed.Cancel();
    }
}
