using ControlPanel.Core.Common;
using ControlPanel.Core.Pipelines.Push;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;

namespace ControlPanel.Web.Components.Pages.Services;

public sealed partial class PushToDeployPanel
{
    [Inject] private PushHookService Hooks { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private IJSRuntime Js { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    [Parameter, EditorRequired] public string Service { get; set; } = "";
    /// <summary>The branch the service builds: the only one a push deploys.</summary>
    [Parameter, EditorRequired] public string Branch { get; set; } = "";

    private PushHook? _hook;
    private IReadOnlyList<PushDelivery> _deliveries = [];
    /// <summary>The secret just created or rotated: held only by this page until it is left.</summary>
    private string? _secret;
    private string? _error;
    private bool _loaded, _busy, _confirmRotate;

    private string HookUrl => Navigation.BaseUri.TrimEnd('/') + Api.PushHookEndpoints.HookPath(Service);

    protected override async Task OnParametersSetAsync()
    {
        try
        {
            _hook = await Hooks.GetAsync(Service, default);
            _deliveries = _hook is null ? [] : await Hooks.DeliveriesAsync(Service, 20, default);
        }
        catch (ControlPanelException ex)
        {
            _error = ex.Message;
        }
        _loaded = true;
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
            var saved = await Hooks.SaveAsync(Service, autoDeploy, rotate, default);
            _hook = saved.Hook;
            _secret = saved.Secret ?? _secret;
            _confirmRotate = false;
        }
        catch (ControlPanelException ex)
        {
            _error = ex.Message;
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
}
