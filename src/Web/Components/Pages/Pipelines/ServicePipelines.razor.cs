using ControlPanel.Core.Common;
using ControlPanel.Core.Pipelines;
using ControlPanel.Core.Services;
using Microsoft.AspNetCore.Components;

namespace ControlPanel.Web.Components.Pages.Pipelines;

/// <summary>
/// The service page's pipelines: starting one lands on its live page; the list re-reads whenever one of the
/// service's pipelines changes on this instance (<see cref="ServiceChangeKind.PipelineChanged"/>).
/// </summary>
public sealed partial class ServicePipelines : IAsyncDisposable
{
    public const int Listed = 10;
    private readonly CancellationTokenSource _closed = new();
    private ServiceChanges.Subscription? _subscription;
    private IReadOnlyList<Pipeline> _pipelines = [];
    private Task _following = Task.CompletedTask;
    private string? _revision, _error;
    private bool _choosing, _starting;

    [Parameter, EditorRequired] public string Service { get; set; } = "";
    [Parameter] public string Branch { get; set; } = "";
    [Parameter] public bool BuildsFromSource { get; set; }
    [Inject] private PipelineService Pipelines { get; set; } = default!;
    [Inject] private ServiceChanges Changes { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private ILogger<ServicePipelines> Logger { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        _subscription = Changes.Subscribe(); // before the read, so a change made meanwhile is not missed
        await ReadAsync(_closed.Token);
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender && _subscription is { } subscription) _following = FollowAsync(subscription, _closed.Token);
    }

    private async Task ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            _pipelines = await Pipelines.ListAsync(Service, Listed, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogWarning(ex, "The pipelines of {Service} could not be read", Service);
            _error = ex is ControlPanelException ? ex.Message : $"The pipelines could not be read ({ex.Message.TrimEnd('.')}).";
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
                if (!mine) continue;
                await ReadAsync(cancellationToken);
                await InvokeAsync(StateHasChanged);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task StartAsync(string? revision)
    {
        _starting = true;
        _error = null;
        try
        {
            var pipeline = await Pipelines.StartAsync(Service, revision, null, deploy: true, PipelineTrigger.Click, _closed.Token);
            Navigation.NavigateTo($"/pipelines/{pipeline.Id}");
        }
        catch (ControlPanelException ex)
        {
            _error = ex.Message;
        }
        finally
        {
            _starting = false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _closed.CancelAsync();
        await _following;
        _subscription?.Dispose();
        _closed.Dispose();
    }
}
