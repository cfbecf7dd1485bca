using ControlPanel.Core.Common;
using ControlPanel.Core.Logs;
using ControlPanel.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace ControlPanel.Web.Components.Pages.Logs;

public sealed partial class Logs
{
    private const int MaxShown = 2_000;
    private readonly CancellationTokenSource _closed = new();
    private readonly HashSet<long> _expanded = [];
    private RenderThrottle? _throttle;
    private string? _search;
    private bool _regex;
    private bool _caseSensitive;
    private bool _onlyMatching;
    private string? _error;
    private ElementReference _view;

    /// <summary>One or more "node/container" sources: ?c=node1/api&amp;c=node2/api.</summary>
    [SupplyParameterFromQuery(Name = "c")] public string[]? Sources { get; set; }
    [SupplyParameterFromQuery(Name = "tail")] public int? Tail { get; set; }

    [Inject] private LogViewModel Vm { get; set; } = default!;
    [Inject] private Microsoft.JSInterop.IJSRuntime Js { get; set; } = default!;

    private ICollection<LogRow> VisibleRows => (ICollection<LogRow>)Vm.Visible;

    protected override void OnInitialized()
    {
        _throttle = new RenderThrottle(() => InvokeAsync(StateHasChanged), TimeSpan.FromMilliseconds(100));
        Vm.Changed += _throttle.Request;
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender || !RendererInfo.IsInteractive) return;
        if (Sources is not { Length: > 0 })
        {
            _error = "Choose containers to follow: open Logs from a container, or add ?c=node/container to the address.";
            StateHasChanged();
            return;
        }
        await using (var module = await Js.InvokeAsync<IJSObjectReference>("import", "./js/logs.js"))
        {
            await module.InvokeVoidAsync("follow", _view);
        }
        try
        {
            await Vm.FollowAsync(Sources, Math.Clamp(Tail ?? 200, 0, 1000), _closed.Token);
        }
        catch (ControlPanelException ex)
        {
            _error = ex.Message;
            StateHasChanged();
        }
        catch (OperationCanceledException)
        {
            // The page was closed.
        }
    }

    private void TogglePause() => Vm.SetPaused(!Vm.Paused);

    private void OnSearch(string? value)
    {
        _search = value;
        ApplySearch();
    }

    private void ApplySearch() => Vm.SetSearch(_search, _regex, _caseSensitive, _onlyMatching);

    private bool IsCut(LogRow row) => row.Line.Text.Length > MaxShown && !_expanded.Contains(row.Seq);

    /// <summary>A very long line shows its first <see cref="MaxShown"/> characters until asked for all.</summary>
    private IEnumerable<TextSpan> Cut(LogRow row)
    {
        if (!IsCut(row)) return row.Spans;
        var left = MaxShown;
        var cut = new List<TextSpan>();
        foreach (var span in row.Spans)
        {
            if (left <= 0) break;
            cut.Add(span.Text.Length <= left ? span : span with { Text = span.Text[..left] });
            left -= span.Text.Length;
        }
        return cut;
    }

    private IEnumerable<(string Text, bool Match)> Highlight(string text)
    {
        if (Vm.SearchPattern is not { } re)
        {
            yield return (text, false);
            yield break;
        }
        var at = 0;
        foreach (System.Text.RegularExpressions.Match m in re.Matches(text))
        {
            if (m.Length == 0) continue;
            if (m.Index > at) yield return (text[at..m.Index], false);
            yield return (m.Value, true);
            at = m.Index + m.Length;
        }
        if (at < text.Length) yield return (text[at..], false);
    }

    public void Dispose()
    {
        if (_throttle is not null) Vm.Changed -= _throttle.Request;
        _throttle?.Dispose();
        _closed.Cancel();
        _closed.Dispose();
    }
}
