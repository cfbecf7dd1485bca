using ControlPanel.Core.Resources;
using ControlPanel.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using MudBlazor.Charts;

namespace ControlPanel.Web.Components.Resources;

public sealed partial class ResourceCharts
{
    private static readonly (HistoryRange Range, string Label)[] Ranges =
        [(HistoryRange.FifteenMinutes, "15 min"), (HistoryRange.OneHour, "1 h"), (HistoryRange.OneDay, "24 h")];

    private readonly CancellationTokenSource _closed = new();
    private ResourceChartsModel? _model;
    private RenderThrottle? _throttle;
    private HistoryRange _range = HistoryRange.FifteenMinutes;
    private IReadOnlyList<ResourceSample> _samples = [];
    private IReadOnlyList<ChartView> _charts = [];
    private string? _unavailable;

    [Parameter, EditorRequired] public ResourceScope Scope { get; set; } = default!;

    [Inject] private IServiceProvider Services { get; set; } = default!;
    [Inject] private ILogger<ResourceCharts> Logger { get; set; } = default!;

    protected override async Task OnParametersSetAsync()
    {
        // Prerendering shows the frame only: a watch handle held by a page that is about to be replaced would sample for nothing.
        if (!RendererInfo.IsInteractive) return;
        if (Services.GetService<IResourceUsage>() is not { } usage)
        {
            _unavailable = "This panel does not collect resource use.";
            return;
        }
        if (_model is not null && _model.Scope == Scope) return;
        StopFollowing();
        _throttle ??= new RenderThrottle(() => InvokeAsync(Refresh), TimeSpan.FromSeconds(1));
        _model = new ResourceChartsModel(usage, Scope);
        _model.Changed += _throttle.Request;
        _model.Start();
        await LoadAsync();
    }

    private async Task ChooseRangeAsync(HistoryRange range)
    {
        _range = range;
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        if (_model is null) return;
        try
        {
            await _model.LoadAsync(_range, _closed.Token);
            _unavailable = null;
        }
        catch (OperationCanceledException)
        {
            return;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogWarning(ex, "Reading the resource history of {Scope} failed", Scope);
            _unavailable = $"The resource history could not be read: {ex.Message}";
        }
        Refresh();
    }

    private void Refresh()
    {
        if (_model is null) return;
        _samples = _model.Samples;
        _charts = ResourceChartViews.Build(_samples, _range);
        StateHasChanged();
    }

    private static string RangeLabel(HistoryRange range) => Ranges.First(r => r.Range == range).Label;

    private void StopFollowing()
    {
        if (_model is null) return;
        if (_throttle is not null) _model.Changed -= _throttle.Request;
        _model.Dispose();
        _model = null;
    }

    public void Dispose()
    {
        StopFollowing();
        _throttle?.Dispose();
        _closed.Cancel();
        _closed.Dispose();
    }
}
