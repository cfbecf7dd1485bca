using ControlPanel.Core.Builds;
using ControlPanel.Core.Common;
using ControlPanel.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace ControlPanel.Web.Components.Pages.Builds;

/// <summary>One build, live while it runs: phases with elapsed time, steps, push progress per layer and the output.</summary>
public sealed partial class BuildPage : IAsyncDisposable
{
    /// <summary>Output lines kept on the page; the whole log is one click away.</summary>
    private const int ShownLines = 2_000;
    private readonly CancellationTokenSource _closed = new();
    private readonly Queue<LogRow> _lines = new();
    private readonly Dictionary<string, LayerProgress> _layers = [];
    private Build? _build;
    private string? _error;
    private long _seq;
    private long _hiddenLines;
    private ElementReference _logElement;
    private IJSObjectReference? _module;
    private RenderThrottle? _throttle;
    private Task _following = Task.CompletedTask;
    private PeriodicTimer? _clock;

    private sealed record LogRow(long Seq, string Text);

    [Parameter] public Guid Id { get; set; }
    [Inject] private BuildUpdates Updates { get; set; } = default!;
    [Inject] private BuildService Builds { get; set; } = default!;
    [Inject] private IJSRuntime Js { get; set; } = default!;
    [Inject] private TimeProvider Time { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        try
        {
            _build = await Builds.GetAsync(Id, _closed.Token); // also the permission check for what follows
        }
        catch (ControlPanelException ex)
        {
            _error = ex.Message;
        }
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender && _build is not null)
        {
            _throttle = new RenderThrottle(() => InvokeAsync(StateHasChanged), TimeSpan.FromMilliseconds(100));
            _module = await Js.InvokeAsync<IJSObjectReference>("import", "./js/build.js");
            _following = FollowAsync(_closed.Token);
            _ = TickAsync(_closed.Token);
        }
        if (_module is not null) await _module.InvokeVoidAsync("followTail", _logElement);
    }

    private async Task FollowAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var update in Updates.FollowAsync(Id, TimeSpan.FromMilliseconds(100), cancellationToken))
            {
                _build = update.Build;
                _hiddenLines += update.LinesDropped;
                foreach (var line in update.Lines) _lines.Enqueue(new LogRow(_seq++, line));
                while (_lines.Count > ShownLines) { _lines.Dequeue(); _hiddenLines++; }
                foreach (var layer in update.Layers) _layers[layer.Layer] = layer;
                _throttle?.Request();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (ControlPanelException ex)
        {
            _error = ex.Message;
            _throttle?.Request();
        }
    }

    /// <summary>Re-renders every second while the build runs, so the running phase's time moves.</summary>
    private async Task TickAsync(CancellationToken cancellationToken)
    {
        _clock = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await _clock.WaitForNextTickAsync(cancellationToken) && _build is { IsFinished: false }) _throttle?.Request();
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task CancelAsync()
    {
        try
        {
            await Builds.CancelAsync(Id, _closed.Token);
        }
        catch (ControlPanelException ex)
        {
            _error = ex.Message;
        }
    }

    private string PhaseText(BuildPhase? phase, Build build) => phase switch
    {
        null => build.IsFinished ? "skipped" : "waiting",
        { Duration: { } d, Failed: true } => $"failed after {d.TotalSeconds:0.0} s",
        { Duration: { } d } => $"{d.TotalSeconds:0.0} s",
        _ when build.IsFinished => "stopped",
        _ => $"{(Time.GetUtcNow() - phase.StartedAt).TotalSeconds:0} s…",
    };

    private static string PhaseState(BuildPhase? phase, Build build) => phase switch
    {
        null => build.IsFinished ? "skipped" : "waiting",
        { Failed: true } => "failed",
        { Duration: not null } => "done",
        _ => build.IsFinished ? "stopped" : "running",
    };

    private static double LayerPercent(LayerProgress layer) =>
        layer.Status is "Pushed" or "Layer already exists" || layer.Status.StartsWith("Mounted from", StringComparison.Ordinal) ? 100 : layer.Total is > 0 ? 100.0 * (layer.Current ?? 0) / layer.Total.Value : 0;

    public async ValueTask DisposeAsync()
    {
        await _closed.CancelAsync();
        await _following;
        _clock?.Dispose();
        _throttle?.Dispose();
        if (_module is not null)
        {
            try
            {
                await _module.DisposeAsync();
            }
            catch (JSDisconnectedException)
            {
                // The circuit is gone with the page.
            }
        }
        _closed.Dispose();
    }
}
