using ControlPanel.Core.Common;
using ControlPanel.Core.Pipelines.Push;
using ControlPanel.Core.Services;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;

namespace ControlPanel.Web.Components.Pages.Services;

/// <summary>
/// The service's push hook and its recent deliveries. The deliveries re-read whenever one of the service's pipelines
/// changes on this instance (<see cref="ServiceChangeKind.PipelineChanged"/>; the receiver signals it for every logged
/// delivery too), so a push shows up, and its pipeline's link, without reloading the page.
/// </summary>
public sealed partial class PushToDeployPanel : IAsyncDisposable
{
    public const int Listed = 20;

    [Inject] private PushHookService Hooks { get; set; } = default!;
    [Inject] private ServiceChanges Changes { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private IJSRuntime Js { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private ILogger<PushToDeployPanel> Logger { get; set; } = default!;

    [Parameter, EditorRequired] public string Service { get; set; } = "";
    /// <summary>The branch the service builds: the only one a push deploys.</summary>
    [Parameter, EditorRequired] public string Branch { get; set; } = "";

    private readonly CancellationTokenSource _closed = new();
    private ServiceChanges.Subscription? _subscription;
    private Task _following = Task.CompletedTask;
    private PushHook? _hook;
    private IReadOnlyList<PushDelivery> _deliveries = [];
    /// <summary>The secret just created or rotated: held only by this page until it is left.</summary>
    private string? _secret;
    private string? _error;
    private bool _loaded, _busy, _confirmRotate;

    private string HookUrl => Navigation.BaseUri.TrimEnd('/') + Api.PushHookEndpoints.HookPath(Service);

    protected override void OnInitialized() => _subscription = Changes.Subscribe(); // before the first read, so no change is missed

    protected override async Task OnParametersSetAsync()
    {
        await ReadAsync(_closed.Token);
        _loaded = true;
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender && _subscription is { } subscription) _following = FollowAsync(subscription, _closed.Token);
    }

    private async Task ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            _hook = await Hooks.GetAsync(Service, cancellationToken);
            _deliveries = _hook is null ? [] : await Hooks.DeliveriesAsync(Service, Listed, cancellationToken);
            _error = null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            if (ex is not ControlPanelException) Logger.LogWarning(ex, "The push hook of {Service} could not be read", Service);
            _error = ex is ControlPanelException ? ex.Message : $"The push hook could not be read ({ex.Message.TrimEnd('.')}).";
        }
    }

    private async Task FollowAsync(ServiceChanges.Subscription subscription, CancellationToken cancellationToken)
    {
        try
        {
            while (await subscription.Changes.WaitToReadAsync(cancellationToken))
            {
                var mine = false;
                while (subscription.Changes.TryRead(out var change)) mine |= change.Service == Service && change.Kind == ServiceChangeKind.PipelineChanged;
                if (!mine || _busy) continue;
                await ReadAsync(cancellationToken);
                await InvokeAsync(StateHasChanged);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private Task CreateAsync() => SaveAsync(autoDeploy: true, rotate: true);

    private Task RotateAsync() => SaveAsync(_hook?.AutoDeploy ?? true, rotate: true);

    private Task SetAutoDeployAsync(bool on) => SaveAsync(on, rotate: false);

    private async Task SaveAsync(bool autoDeploy, bool rotate)
    {
        _busy = true;
        _error = null;
        try
        {
            var saved = await Hooks.SaveAsync(Service, autoDeploy, rotate, _closed.Token);
            _hook = saved.Hook;
            _secret = saved.Secret ?? _secret;
            _confirmRotate = false;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            if (ex is not ControlPanelException) Logger.LogWarning(ex, "The push hook of {Service} could not be saved", Service);
            _error = ex is ControlPanelException ? ex.Message : $"The push hook could not be saved ({ex.Message.TrimEnd('.')}).";
        }
        finally
        {
            _busy = false;
        }
    }

    private Task CopyUrlAsync() => Containers.Clipboard.CopyAsync(Js, Snackbar, HookUrl, "Payload URL");

    private Task CopySecretAsync() => Containers.Clipboard.CopyAsync(Js, Snackbar, _secret ?? "", "Secret");

    private static Color OutcomeColor(PushOutcome outcome) => outcome switch
    {
        PushOutcome.Started => Color.Success,
        PushOutcome.Ignored => Color.Default,
        _ => Color.Error,
    };

    public async ValueTask DisposeAsync()
    {
        await _closed.CancelAsync();
        await _following;
        _subscription?.Dispose();
        _closed.Dispose();
    }
}
